package com.edgeseg.window;

import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.Dims;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A dense sliding-window grid for one image, in one of two lattices ({@link FidelityProfile.Lattice}).
 *
 * <p>Reference (§4.1, MONAI): pad small axes to the roi ({@code (roi - size) // 2} before), step
 * {@code int(roi * (1 - overlap))}, the fewest windows that cover the padded axis, the last one pulled back to end at
 * the edge, enumerated in C order (axis 0 slowest).
 *
 * <p>Streaming: the same per-axis starts, but along the stream axis they are counted from the series' first slice
 * (in the stream's direction) and a too-short axis is padded at the series' end only, so every window but the last
 * one depends only on where the series starts, never on how long it turns out to be; windows are enumerated with the
 * stream axis slowest, in stream order, so that a window can run as soon as its slices are there and finished slabs
 * leave in slice order. Pure geometry; the windows refer to image coordinates.
 */
public final class SlidingWindowPlan {
    private final Dims image;
    private final WindowSettings settings;
    private final StreamOrder order;
    private final int[] padBefore = new int[3];
    private final int[] padded = new int[3];
    private final int[][] starts = new int[3][];
    private final List<Window> windows;

    private SlidingWindowPlan(Dims image, WindowSettings settings, StreamOrder order, boolean streaming) {
        this.image = image;
        this.settings = settings;
        this.order = order;
        Dims roi = settings.roi();
        for (int a = 0; a < 3; a++) {
            int s = image.get(a);
            int r = roi.get(a);
            if (s <= 0) {
                throw new IllegalArgumentException("image " + image + " is empty along axis " + a);
            }
            int diff = Math.max(r - s, 0);
            padded[a] = Math.max(s, r);
            int[] fromStart = axisStarts(padded[a], r, settings.overlap());
            if (!streaming || a != order.axis()) {
                padBefore[a] = diff / 2;
                starts[a] = fromStart;
            } else if (!order.descending()) {
                padBefore[a] = 0;
                starts[a] = fromStart;
            } else {
                // counted from the axis' last plane: the series' first slice is there, padding goes before plane 0
                padBefore[a] = diff;
                starts[a] = new int[fromStart.length];
                for (int i = 0; i < fromStart.length; i++) {
                    starts[a][i] = padded[a] - r - fromStart[i];
                }
            }
        }
        int[] axes = streaming ? streamFirst(order.axis()) : new int[] {0, 1, 2};
        List<Window> list = new ArrayList<>();
        int[] at = new int[3];
        for (int s0 : starts[axes[0]]) {
            at[axes[0]] = s0;
            for (int s1 : starts[axes[1]]) {
                at[axes[1]] = s1;
                for (int s2 : starts[axes[2]]) {
                    at[axes[2]] = s2;
                    list.add(new Window(list.size(), at[0] - padBefore[0], at[1] - padBefore[1], at[2] - padBefore[2],
                            roi));
                }
            }
        }
        windows = Collections.unmodifiableList(list);
    }

    private static int[] streamFirst(int axis) {
        return switch (axis) {
            case 0 -> new int[] {0, 1, 2};
            case 1 -> new int[] {1, 0, 2};
            default -> new int[] {2, 0, 1};
        };
    }

    /** The reference lattice (MONAI's grid and order; slabs finish along axis 0). */
    public static SlidingWindowPlan of(Dims image, WindowSettings settings) {
        return new SlidingWindowPlan(image, settings, StreamOrder.REFERENCE, false);
    }

    /** The streaming-stable lattice anchored on the series' first slice along {@code order} (see the class comment). */
    public static SlidingWindowPlan streaming(Dims image, WindowSettings settings, StreamOrder order) {
        return new SlidingWindowPlan(image, settings, order, true);
    }

    /**
     * The lattice a profile asks for: {@link #streaming} along {@code order} or the {@linkplain #of reference} one
     * (whose slabs always finish along axis 0, whatever {@code order} says).
     */
    public static SlidingWindowPlan of(Dims image, WindowSettings settings, FidelityProfile.Lattice lattice,
                                       StreamOrder order) {
        return lattice == FidelityProfile.Lattice.STREAMING ? streaming(image, settings, order) : of(image, settings);
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

    /** The axis and direction along which this plan's windows finish slabs. */
    public StreamOrder order() {
        return order;
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

    /**
     * All windows in run order: C order over the per-axis starts (reference, MONAI's order), or the stream axis
     * slowest in stream order and the other two in C order (streaming).
     */
    public List<Window> windows() {
        return windows;
    }

    /** The window's voxels of {@code image}, padded with the settings' padding (constant cval or edge replication). */
    public float[] extract(float[] volume, Window window) {
        return WindowCopy.extract(volume, image, window, settings.padding() == WindowSettings.Padding.REPLICATE,
                settings.cval());
    }
}
