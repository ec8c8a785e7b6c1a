package com.edgeseg.merge;

import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.Dims;
import com.edgeseg.window.Click;
import java.util.List;

/**
 * Post-processing step 1 for clicks without a class (§3.3, MONAI {@code keep_components_with_positive_points}): keep
 * the 26-connected components of {@code logit > 0} that contain a positive click; the other positive voxels are
 * overwritten. Parity: with the mean of all non-kept, non-NaN logits (float32 result; may be NaN or positive, Q28);
 * product: with -1 (background). Clicks are in the volume's coordinates, rounded half-even; the mean-fill (reference) mode wraps an index
 * of -1..-n around like Python, both clamp the rest.
 */
public final class KeepComponents {
    /** Product's value for dropped positive voxels. */
    public static final float DROPPED_LOGIT = -1f;

    private KeepComponents() {
    }

    /**
     * @param logits one channel on {@code dims}; not modified
     * @param clicks the call's clicks in the same coordinates; only positive ones (1/3) matter
     * @return the filtered logits (a copy; unchanged when there is no positive click)
     */
    public static float[] apply(FidelityProfile profile, Dims dims, float[] logits, List<Click> clicks) {
        if (logits.length != dims.voxelCount()) {
            throw new IllegalArgumentException("logits have " + logits.length + " values, grid " + dims + " needs " + dims.voxelCount());
        }
        float[] out = logits.clone();
        if (clicks.stream().noneMatch(Click::positive)) {
            return out;
        }
        boolean[] pos = new boolean[logits.length];
        for (int v = 0; v < pos.length; v++) {
            pos[v] = logits[v] > 0;
        }
        ConnectedComponents.Labels labels = ConnectedComponents.label(pos, dims);
        int[] ids = labels.ids();
        boolean[] keepId = new boolean[labels.count() + 1];
        for (Click c : clicks) {
            if (!c.positive()) {
                continue;
            }
            int v = dims.index(index(c.x0(), dims.n0(), profile), index(c.x1(), dims.n1(), profile),
                    index(c.x2(), dims.n2(), profile));
            keepId[ids[v]] = true;
        }
        keepId[0] = false;
        float fill = DROPPED_LOGIT;
        if (profile.meanFillUnkeptComponents()) {
            double sum = 0;
            long n = 0;
            for (int v = 0; v < logits.length; v++) {
                if (!keepId[ids[v]] && !Float.isNaN(logits[v])) {
                    sum += logits[v];
                    n++;
                }
            }
            fill = n == 0 ? Float.NaN : (float) (sum / n);
        }
        for (int v = 0; v < out.length; v++) {
            if (pos[v] && !keepId[ids[v]]) {
                out[v] = fill;
            }
        }
        return out;
    }

    private static int index(double c, int n, FidelityProfile profile) {
        long r = (long) Math.rint(c);
        if (profile.meanFillUnkeptComponents() && r < 0 && r >= -n) {
            r += n;
        }
        return (int) Math.max(0, Math.min(n - 1, r));
    }
}
