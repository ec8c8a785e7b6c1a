package com.edgeseg.segment;

import com.edgeseg.geometry.ContinuousIndex;

/**
 * A technologist's click: a voxel index of the input volume as loaded (axis 0 = NIfTI i; fractional values
 * allowed) and whether it marks the structure (positive) or not (negative).
 */
public record UserClick(ContinuousIndex position, boolean positive) {
    /** Parses {@code "x,y,z,+"} or {@code "x,y,z,-"} (the command line's click syntax). */
    public static UserClick parse(String text) {
        String[] p = text.split(",");
        if (p.length != 4 || !(p[3].trim().equals("+") || p[3].trim().equals("-"))) {
            throw new InvalidClickException("click '" + text + "': expected x,y,z,+ or x,y,z,- (voxel indices of the input)");
        }
        double[] v = new double[3];
        for (int a = 0; a < 3; a++) {
            try {
                v[a] = Double.parseDouble(p[a].trim());
            } catch (NumberFormatException e) {
                throw new InvalidClickException("click '" + text + "': coordinate '" + p[a] + "' is not a number");
            }
        }
        return new UserClick(new ContinuousIndex(v[0], v[1], v[2]), p[3].trim().equals("+"));
    }
}
