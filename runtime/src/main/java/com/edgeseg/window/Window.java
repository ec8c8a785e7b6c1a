package com.edgeseg.window;

import com.edgeseg.geometry.Dims;

/**
 * One network window: a box of {@code size} voxels whose first voxel is at {@code (o0, o1, o2)} in <b>image</b>
 * coordinates. On padded axes the origin is negative (or the box ends past the image): those voxels are padding.
 *
 * @param index position of the window in its plan's order
 */
public record Window(int index, int o0, int o1, int o2, Dims size) {
    public int origin(int axis) {
        return switch (axis) {
            case 0 -> o0;
            case 1 -> o1;
            case 2 -> o2;
            default -> throw new IndexOutOfBoundsException("axis " + axis);
        };
    }

    /** The window's place on the image grid, without its index in a plan (a cache key). */
    public WindowKey key() {
        return new WindowKey(o0, o1, o2, size);
    }

    /** Exclusive end along {@code axis}, image coordinates. */
    public int end(int axis) {
        return origin(axis) + size.get(axis);
    }

    @Override
    public String toString() {
        return "Window#" + index + "[" + o0 + ".." + end(0) + ", " + o1 + ".." + end(1) + ", " + o2 + ".." + end(2) + ")";
    }
}
