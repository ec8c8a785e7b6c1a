package com.edgeseg.geometry;

/**
 * A fractional voxel position along axes 0, 1, 2 of some grid; integer values are voxel centres.
 * Clicks travel through the pipeline in this type, never rounded until a rule says how (§3.4).
 */
public record ContinuousIndex(double i, double j, double k) {
    public double get(int axis) {
        return switch (axis) {
            case 0 -> i;
            case 1 -> j;
            case 2 -> k;
            default -> throw new IndexOutOfBoundsException("axis " + axis);
        };
    }

    public double[] toArray() {
        return new double[] {i, j, k};
    }

    public boolean isFinite() {
        return Double.isFinite(i) && Double.isFinite(j) && Double.isFinite(k);
    }
}
