package com.edgeseg.window;

/**
 * A click in network space (the preprocessed array, float voxel coordinates along axes 0, 1, 2; or window-local
 * coordinates once a window has localised it) with the network's label: 1 positive, 0 negative, 3/2 positive/negative
 * for a special class, -1 ignore.
 */
public record Click(double x0, double x1, double x2, int label) {
    public Click {
        if (label < -1 || label > 3) {
            throw new IllegalArgumentException("click label must be -1..3, got " + label);
        }
        if (!Double.isFinite(x0) || !Double.isFinite(x1) || !Double.isFinite(x2)) {
            throw new IllegalArgumentException("click coordinates must be finite: " + x0 + ", " + x1 + ", " + x2);
        }
    }

    public double coord(int axis) {
        return switch (axis) {
            case 0 -> x0;
            case 1 -> x1;
            case 2 -> x2;
            default -> throw new IndexOutOfBoundsException("axis " + axis);
        };
    }

    public boolean positive() {
        return label == 1 || label == 3;
    }

    public boolean negative() {
        return label == 0 || label == 2;
    }

    public boolean ignored() {
        return label == -1;
    }

    /** The same click shifted by {@code -(d0, d1, d2)}. */
    public Click minus(double d0, double d1, double d2) {
        return new Click(x0 - d0, x1 - d1, x2 - d2, label);
    }
}
