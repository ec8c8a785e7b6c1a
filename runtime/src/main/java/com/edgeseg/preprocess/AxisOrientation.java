package com.edgeseg.preprocess;

import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.Dims;
import java.util.Locale;

/**
 * A permutation with flips that reorders array axes so that they point along target world axes (MONAI
 * {@code Orientation}, nibabel {@code io_orientation}/{@code ornt_transform}, §3.1 step 8). Input axis
 * {@code i} becomes output axis {@code outAxis[i]}, reversed when {@code flip[i]}. No interpolation: obliquity
 * stays in the affine.
 */
record AxisOrientation(int[] outAxis, boolean[] flip) {

    /** [world axis, sign] for each target array axis, from codes like "RAS" or "LPI". */
    static int[][] parseAxisCodes(String codes) {
        if (codes == null || codes.length() != 3) {
            throw new InvalidPreprocessingSettingsException("preprocessing.orientation is '" + codes
                    + "'; expected three axis codes such as 'RAS' (one of R/L, A/P, S/I each)");
        }
        int[][] t = new int[3][];
        boolean[] seen = new boolean[3];
        for (int a = 0; a < 3; a++) {
            char c = Character.toUpperCase(codes.charAt(a));
            int[] v = switch (c) {
                case 'R' -> new int[] {0, 1};
                case 'L' -> new int[] {0, -1};
                case 'A' -> new int[] {1, 1};
                case 'P' -> new int[] {1, -1};
                case 'S' -> new int[] {2, 1};
                case 'I' -> new int[] {2, -1};
                default -> null;
            };
            if (v == null || seen[v[0]]) {
                throw new InvalidPreprocessingSettingsException("preprocessing.orientation is '" + codes
                        + "'; expected three axis codes such as 'RAS' (one of R/L, A/P, S/I each)");
            }
            seen[v[0]] = true;
            t[a] = v;
        }
        return t;
    }

    /**
     * nibabel {@code io_orientation}: for each array axis in turn, the world axis its (normalised) direction
     * column is closest to, excluding world axes already taken, and the sign. The direction matrix is taken
     * as orthonormal (shear is rejected before this point), so the SVD step of nibabel is the identity here.
     */
    static int[][] ioOrientation(Affine a) {
        double[][] r = new double[3][3];
        for (int c = 0; c < 3; c++) {
            double n = a.columnNorm(c);
            for (int row = 0; row < 3; row++) {
                r[row][c] = n == 0 ? 0 : a.get(row, c) / n;
            }
        }
        int[][] ornt = new int[3][];
        for (int in = 0; in < 3; in++) {
            int best = -1;
            double bestAbs = -1;
            for (int row = 0; row < 3; row++) {
                double v = Math.abs(r[row][in]);
                if (v > bestAbs) { // first maximum wins, as numpy argmax
                    bestAbs = v;
                    best = row;
                }
            }
            ornt[in] = new int[] {best, r[best][in] < 0 ? -1 : 1};
            for (int c = 0; c < 3; c++) {
                r[best][c] = 0;
            }
        }
        return ornt;
    }

    static AxisOrientation between(Affine indexToWorld, String targetCodes) {
        int[][] start = ioOrientation(indexToWorld);
        int[][] end = parseAxisCodes(targetCodes.toUpperCase(Locale.ROOT));
        int[] out = new int[3];
        boolean[] flip = new boolean[3];
        for (int e = 0; e < 3; e++) {
            for (int s = 0; s < 3; s++) {
                if (start[s][0] == end[e][0]) {
                    out[s] = e;
                    flip[s] = start[s][1] != end[e][1];
                }
            }
        }
        return new AxisOrientation(out, flip);
    }

    boolean isIdentity() {
        for (int i = 0; i < 3; i++) {
            if (outAxis[i] != i || flip[i]) {
                return false;
            }
        }
        return true;
    }

    /** Input axis that becomes output axis {@code o}. */
    int inputAxisOf(int o) {
        for (int i = 0; i < 3; i++) {
            if (outAxis[i] == o) {
                return i;
            }
        }
        throw new IllegalStateException("not a permutation");
    }

    Dims apply(Dims in) {
        int[] n = new int[3];
        for (int i = 0; i < 3; i++) {
            n[outAxis[i]] = in.get(i);
        }
        return Dims.of(n);
    }

    /** The index map output -> input (to be right-multiplied onto the input grid's affine). */
    Affine outputToInput(Dims in) {
        double[] lin = new double[9];
        double[] t = new double[3];
        for (int i = 0; i < 3; i++) {
            lin[i * 3 + outAxis[i]] = flip[i] ? -1 : 1;
            t[i] = flip[i] ? in.get(i) - 1 : 0;
        }
        return Affine.of(lin, t);
    }
}
