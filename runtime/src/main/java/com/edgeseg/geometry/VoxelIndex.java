package com.edgeseg.geometry;

/** An integer voxel position (i, j, k) along axes 0, 1, 2 of some grid. Not a physical position. */
public record VoxelIndex(int i, int j, int k) {
    public int get(int axis) {
        return switch (axis) {
            case 0 -> i;
            case 1 -> j;
            case 2 -> k;
            default -> throw new IndexOutOfBoundsException("axis " + axis);
        };
    }

    public ContinuousIndex toContinuous() {
        return new ContinuousIndex(i, j, k);
    }
}
