package com.edgeseg.window;

/**
 * The network axis along which slices arrive and finished slabs leave, and its direction. Slices of a series come
 * along its slice normal, which after RAS orientation is usually network axis 2 (superior-inferior); the series'
 * first slice sits at plane 0 of that axis ({@code descending = false}) or at its last plane when the orientation
 * flipped the axis ({@code descending = true}).
 *
 * @param axis       network axis 0, 1 or 2
 * @param descending true when the stream starts at the axis' last plane and moves towards plane 0
 */
public record StreamOrder(int axis, boolean descending) {
    /** MONAI's order: windows in C order, so slabs finish along axis 0 from plane 0 on. */
    public static final StreamOrder REFERENCE = new StreamOrder(0, false);

    public StreamOrder {
        if (axis < 0 || axis > 2) {
            throw new IllegalArgumentException("stream axis must be 0, 1 or 2, got " + axis);
        }
    }
}
