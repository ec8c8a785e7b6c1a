package com.edgeseg.window;

import com.edgeseg.geometry.Dims;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * MONAI's dense sliding-window grid (§4.1) for one image: pad small axes to the roi, step
 * {@code int(roi * (1 - overlap))}, the fewest windows that cover the padded axis, the last one pulled back to end at
 * the edge, enumerated in C order (axis 0 slowest). Pure geometry; the windows refer to image coordinates.
 */
public final class SlidingWindowPlan {
    private final Dims image;
    private final WindowSettings settings;
    private final int[] padBefore = new int[3];
    private final int[] padded = new int[3];
    private final int[][] starts = new int[3][];
    private final List<Window> windows;

    private SlidingWindowPlan(Dims image, WindowSettings settings) {
        this.image = image;
        this.settings = settings;
        Dims roi = settings.roi();
        for (int a = 0; a < 3; a++) {
            int s = image.get(a);
            int r = roi.get(a);
            if (s <= 0) {
                throw new IllegalArgumentException("image " + image + " is empty along axis " + a);
            }
            int diff = Math.max(r - s, 0);
            padBefore[a] = diff / 2;
            padded[a] = Math.max(s, r);
            starts[a] = axisStarts(padded[a], r, settings.overlap());
        }
        List<Window> list = new ArrayList<>();
        for (int s0 : starts[0]) {
            for (int s1 : starts[1]) {
                for (int s2 : starts[2]) {
                    list.add(new Window(list.size(), s0 - padBefore[0], s1 - padBefore[1], s2 - padBefore[2], roi));
                }
            }
        }
        windows = Collections.unmodifiableList(list);
    }

    public static SlidingWindowPlan of(Dims image, WindowSettings settings) {
        return new SlidingWindowPlan(image, settings);
    }

    /**
     * Window starts along one axis in padded coordinates (MONAI {@code dense_patch_slices}).
     *
     * @param padded  padded axis size ({@code max(size, roi)})
     * @param roi     window size
     * @param overlap fraction in [0, 1)
     */
    public static int[] axisStarts(int padded, int roi, double overlap) {
        int step = padded == roi ? roi : Math.max(1, (int) (roi * (1 - overlap)));
        int bound = (int) Math.ceil((double) padded / step);
        int count = 1;
        for (int d = 0; d < bound; d++) {
            if ((long) d * step + roi >= padded) {
                count = d + 1;
                break;
            }
        }
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            int start = i * step;
            start -= Math.max(start + roi - padded, 0);
            out[i] = start;
        }
        return out;
    }

    public Dims image() {
        return image;
    }

    public WindowSettings settings() {
        return settings;
    }

    public Dims roi() {
        return settings.roi();
    }

    /** Padding added before each axis ({@code (roi - size) // 2} on axes smaller than the roi, else 0). */
    public int[] padBefore() {
        return padBefore.clone();
    }

    /** Window starts along {@code axis} in padded coordinates (= image coordinate + padBefore). */
    public int[] starts(int axis) {
        return starts[axis].clone();
    }

    /** All windows in the order MONAI runs them (C order over the per-axis starts). */
    public List<Window> windows() {
        return windows;
    }

    /** The window's voxels of {@code image}, padded with the settings' padding (constant cval or edge replication). */
    public float[] extract(float[] volume, Window window) {
        return WindowCopy.extract(volume, image, window, settings.padding() == WindowSettings.Padding.REPLICATE,
                settings.cval());
    }
}
