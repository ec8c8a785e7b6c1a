package com.edgeseg.window;

import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.Dims;
import java.util.Arrays;

/**
 * Stitches the one-channel outputs of click-centred windows into a logit volume on the plan's image grid (§4.2 steps
 * 4-5), optionally on top of a base (a previous mask's logits, or an automatic result) that is edited per §3.4
 * "Previous-mask editing".
 *
 * <p>Parity: {@code acc += out; covered = 1; result = acc / covered}, so overlapping windows are <b>summed</b>
 * (Q6), uncovered voxels are NaN without a base (Q7) or the base's value with one; windows merge into a padded copy
 * of the base that every window's result is written back into, in window order (Q38), and a window without a usable
 * click contributes the reference's constant -9999. Product: overlapping windows are averaged, uncovered voxels keep the
 * base (or {@link #BACKGROUND_LOGIT} without one), every window merges into the original base, and windows without a
 * usable click are skipped.
 */
public final class PointWindowStitcher {
    /** The reference's "no prompt" fill value ({@code NINF_VALUE}); also product's background outside all windows. */
    public static final float BACKGROUND_LOGIT = -9999f;

    private final PointWindowPlan plan;
    private final FidelityProfile profile;
    private final float[] base;
    private final float[] paddedBase;
    private final int[] pad;
    private final int[] padded;
    private final float[] acc;
    private final float[] count;
    private int added;

    /**
     * @param plan    the windows
     * @param profile parity or product behaviour
     * @param base    logits on the plan's image grid to edit (previous mask / auto result of the object), or null;
     *                not modified
     */
    public PointWindowStitcher(PointWindowPlan plan, FidelityProfile profile, float[] base) {
        this.plan = plan;
        this.profile = profile;
        Dims image = plan.image();
        if (base != null && base.length != image.voxelCount()) {
            throw new IllegalArgumentException("base has " + base.length + " voxels, grid " + image + " needs " + image.voxelCount());
        }
        this.base = base;
        this.pad = plan.padBefore();
        this.padded = plan.paddedSize();
        if (base != null && profile.editInPlace()) {
            Dims p = Dims.of(padded);
            Window whole = new Window(0, -pad[0], -pad[1], -pad[2], p);
            this.paddedBase = WindowCopy.extract(base, image, whole, false, 0f);
        } else {
            this.paddedBase = null;
        }
        this.acc = new float[image.voxelCount()];
        this.count = new float[image.voxelCount()];
    }

    /**
     * The base logits the merge of {@code window} must use (window-sized, C order, 0 in padding), or null without a
     * base. Parity: the base as edited by the windows added so far; product: the original base.
     */
    public float[] baseWindow(PointWindow window) {
        if (base == null) {
            return null;
        }
        Window w = window.window();
        if (paddedBase != null) {
            Window shifted = new Window(w.index(), w.o0() + pad[0], w.o1() + pad[1], w.o2() + pad[2], w.size());
            return WindowCopy.extract(paddedBase, Dims.of(padded), shifted, false, 0f);
        }
        return WindowCopy.extract(base, plan.image(), w, false, 0f);
    }

    /** Adds the window's final (merged) logits, C order over the roi. */
    public void add(PointWindow window, float[] output) {
        Window w = window.window();
        if (output.length != w.size().voxelCount()) {
            throw new IllegalArgumentException("window output has " + output.length + " values, roi " + w.size()
                    + " needs " + w.size().voxelCount());
        }
        if (paddedBase != null) {
            writeBack(w, output);
        }
        accumulate(w, output, 0f, false);
        added++;
    }

    /**
     * A point-only / zero-shot window in which no usable click lies ({@link PointWindow#hasClicks()} false): the
     * reference network returns -9999 for it without touching the previous mask, and parity adds that; product ignores
     * the window. (With a class prompt the reference returns the window's auto logits instead: pass them to
     * {@link #add}.)
     */
    public void addEmpty(PointWindow window) {
        if (profile.referenceNaN()) {
            accumulate(window.window(), null, BACKGROUND_LOGIT, true);
        }
        added++;
    }

    /** The stitched logits on the image grid. */
    public float[] finish() {
        float[] out = new float[acc.length];
        boolean sum = profile.sumOverlappingWindows();
        Dims image = plan.image();
        for (int v = 0; v < out.length; v++) {
            float c = count[v];
            if (c > 0) {
                out[v] = sum ? acc[v] / 1f : acc[v] / c;
            } else if (base != null) {
                out[v] = base[v];
            } else {
                out[v] = profile.referenceNaN() ? Float.NaN : BACKGROUND_LOGIT;
            }
        }
        return out;
    }

    private void accumulate(Window w, float[] output, float constant, boolean useConstant) {
        Dims image = plan.image();
        Dims roi = w.size();
        int kLo = Math.max(0, -w.o2());
        int kHi = Math.min(roi.n2(), image.n2() - w.o2());
        for (int a = 0; a < roi.n0(); a++) {
            int i = w.o0() + a;
            if (i < 0 || i >= image.n0()) {
                continue;
            }
            for (int b = 0; b < roi.n1(); b++) {
                int j = w.o1() + b;
                if (j < 0 || j >= image.n1()) {
                    continue;
                }
                int src = (a * roi.n1() + b) * roi.n2();
                int dst = (i * image.n1() + j) * image.n2() + w.o2();
                for (int c = kLo; c < kHi; c++) {
                    acc[dst + c] += useConstant ? constant : output[src + c];
                    count[dst + c] += 1f;
                }
            }
        }
    }

    private void writeBack(Window w, float[] output) {
        Dims roi = w.size();
        for (int a = 0; a < roi.n0(); a++) {
            int i = w.o0() + pad[0] + a;
            for (int b = 0; b < roi.n1(); b++) {
                int j = w.o1() + pad[1] + b;
                int dst = (i * padded[1] + j) * padded[2] + w.o2() + pad[2];
                System.arraycopy(output, (a * roi.n1() + b) * roi.n2(), paddedBase, dst, roi.n2());
            }
        }
    }
}
