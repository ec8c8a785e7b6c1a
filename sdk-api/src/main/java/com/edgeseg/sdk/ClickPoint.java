package com.edgeseg.sdk;

/**
 * A click on the scanner grid: slice index (slices sorted along the normal, row x column direction, as in
 * {@link LabelMap}), row and column, fractional values allowed; positive marks the structure.
 */
public record ClickPoint(double slice, double row, double col, boolean positive) {
    public static ClickPoint positive(double slice, double row, double col) {
        return new ClickPoint(slice, row, col, true);
    }

    public static ClickPoint negative(double slice, double row, double col) {
        return new ClickPoint(slice, row, col, false);
    }
}
