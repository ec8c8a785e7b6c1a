package com.edgeseg.volume;

import com.edgeseg.geometry.Dims;

/**
 * A finished range of planes of a label map along {@code axis}: planes {@code firstPlane .. firstPlane +
 * dims.get(axis)} of the whole map, at full size on the other two axes; labels in C order
 * over {@code dims}.
 */
public record LabelSlab(int axis, int firstPlane, Dims dims, byte[] labels) {
    public LabelSlab {
        if (axis < 0 || axis > 2) {
            throw new IllegalArgumentException("axis must be 0, 1 or 2, got " + axis);
        }
        if (labels.length != dims.voxelCount()) {
            throw new IllegalArgumentException(labels.length + " labels for a slab of " + dims);
        }
    }

    /** The whole of {@code map} as one slab along {@code axis}. */
    public static LabelSlab whole(LabelVolume map, int axis) {
        return new LabelSlab(axis, 0, map.dims(), map.toArray());
    }

    /** Number of planes along the axis. */
    public int planes() {
        return dims.get(axis);
    }

    /** Flat index in a map of size {@code whole} of the first voxel of the slab's row {@code r} (rows run along axis 2). */
    public int wholeIndexOfRow(int r, Dims whole) {
        int j = r % dims.n1();
        int i = r / dims.n1();
        int k = 0;
        switch (axis) {
            case 0 -> i += firstPlane;
            case 1 -> j += firstPlane;
            default -> k = firstPlane;
        }
        return whole.index(i, j, k);
    }

    /** Copies the slab into its place in a whole map of size {@code whole}. */
    public void copyInto(byte[] map, Dims whole) {
        int len = dims.n2();
        for (int r = 0; r < dims.n0() * dims.n1(); r++) {
            System.arraycopy(labels, r * len, map, wholeIndexOfRow(r, whole), len);
        }
    }
}
