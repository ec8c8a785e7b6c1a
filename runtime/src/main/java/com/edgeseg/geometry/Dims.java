package com.edgeseg.geometry;

/**
 * The size of a 3-D grid along axes 0, 1, 2.
 *
 * <p>EdgeSeg stores every voxel array in C order: axis 0 is the slowest, axis 2 the fastest, so the
 * flat index of (i, j, k) is {@code (i * n1 + j) * n2 + k}. This is the order of NumPy arrays and of
 * ONNX tensors {@code [.., n0, n1, n2]}, so windows copy straight into engine inputs. Axis 0 is the
 * NIfTI {@code i} axis (the file's fastest axis), which readers transpose on load.
 */
public record Dims(int n0, int n1, int n2) {
    public Dims {
        if (n0 < 0 || n1 < 0 || n2 < 0) {
            throw new IllegalArgumentException("negative size " + n0 + "x" + n1 + "x" + n2);
        }
    }

    public static Dims of(int[] n) {
        if (n.length != 3) {
            throw new IllegalArgumentException("expected 3 sizes, got " + n.length);
        }
        return new Dims(n[0], n[1], n[2]);
    }

    public int get(int axis) {
        return switch (axis) {
            case 0 -> n0;
            case 1 -> n1;
            case 2 -> n2;
            default -> throw new IndexOutOfBoundsException("axis " + axis);
        };
    }

    public int[] toArray() {
        return new int[] {n0, n1, n2};
    }

    /** Number of voxels; fails rather than overflow for grids of more than 2^31 - 1 voxels. */
    public int voxelCount() {
        return Math.toIntExact((long) n0 * n1 * n2);
    }

    public int index(int i, int j, int k) {
        return (i * n1 + j) * n2 + k;
    }

    public boolean contains(int i, int j, int k) {
        return i >= 0 && j >= 0 && k >= 0 && i < n0 && j < n1 && k < n2;
    }

    @Override
    public String toString() {
        return n0 + "x" + n1 + "x" + n2;
    }
}
