package com.edgeseg.conformance;

import com.edgeseg.geometry.Dims;
import com.edgeseg.merge.ComponentMerge;
import com.edgeseg.stage.MergeObserver;
import com.edgeseg.window.Click;
import com.edgeseg.window.PointWindowStitcher;
import com.edgeseg.window.Window;
import java.util.List;

/**
 * Records the image voxels whose click merge (§3.4) hinged on a near-tied logit: a base or point logit within
 * {@code rel·max|logit|} of the 0 threshold in some window. Two correct implementations whose logits differ by
 * float rounding can put such a voxel on different sides of the threshold, and the merge then takes a different
 * source for it, so a conformance check compares merged logits only outside these voxels (and counts them).
 */
public final class MergeTies implements MergeObserver {
    private final double rel;
    private final Dims image;
    private final boolean[] mask;

    public MergeTies(Dims image, double rel) {
        this.image = image;
        this.rel = rel;
        this.mask = new boolean[image.voxelCount()];
    }

    /** True where some merge decision was near-tied. */
    public boolean contains(int voxel) {
        return mask[voxel];
    }

    public long count() {
        long n = 0;
        for (boolean b : mask) {
            if (b) {
                n++;
            }
        }
        return n;
    }

    /**
     * Marks the voxels of window {@code w} whose merged value depends on how the near-tied logits resolve: the merge
     * is redone with every near-tied base and point logit pushed above, then below, the threshold (which also flips
     * the connections and component choices they carry), and every voxel whose source changes is marked along with
     * the tied voxels themselves.
     */
    @Override
    public void merged(Window w, float[] base, float[] point, List<Click> clicks, ComponentMerge merge, float[] merged) {
        double eb = rel * logitScale(base);
        double ep = rel * logitScale(point);
        Dims roi = w.size();
        boolean[] affected = new boolean[roi.voxelCount()];
        for (int v = 0; v < affected.length; v++) {
            affected[v] = Math.abs(base[v]) <= eb || Math.abs(point[v]) <= ep;
        }
        for (int sign = -1; sign <= 1; sign += 2) {
            float[] b2 = base.clone();
            float[] p2 = point.clone();
            for (int v = 0; v < affected.length; v++) {
                if (Math.abs(base[v]) <= eb) {
                    b2[v] = (float) (sign * 2 * eb);
                }
                if (Math.abs(point[v]) <= ep) {
                    p2[v] = (float) (sign * 2 * ep);
                }
            }
            float[] variant = merge.merge(roi, b2, p2, clicks);
            for (int v = 0; v < affected.length; v++) {
                if (Float.compare(variant[v], merged[v]) != 0) {
                    affected[v] = true;
                }
            }
        }
        for (int a = 0; a < roi.n0(); a++) {
            for (int b = 0; b < roi.n1(); b++) {
                for (int c = 0; c < roi.n2(); c++) {
                    int i = w.o0() + a;
                    int j = w.o1() + b;
                    int k = w.o2() + c;
                    if (image.contains(i, j, k) && affected[roi.index(a, b, c)]) {
                        mask[image.index(i, j, k)] = true;
                    }
                }
            }
        }
    }

    /**
     * The scale near ties are measured against: max |logit| over the finite values, leaving out the reference's
     * "no prompt" fill ({@link PointWindowStitcher#BACKGROUND_LOGIT}).
     */
    public static double logitScale(float[] logits) {
        double m = 0;
        for (float f : logits) {
            if (Float.isFinite(f) && f != PointWindowStitcher.BACKGROUND_LOGIT) {
                m = Math.max(m, Math.abs(f));
            }
        }
        return m;
    }
}
