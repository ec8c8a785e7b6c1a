package com.edgeseg.geometry;

import java.util.Arrays;

/**
 * An immutable 4x4 homogeneous matrix (last row 0 0 0 1) in double precision, row-major. EdgeSeg uses
 * it for index-to-world maps (NIfTI sform/qform, RAS+) and for index-to-index maps between grids.
 */
public final class Affine {
    private final double[] m; // 16 values, row-major

    private Affine(double[] m) {
        this.m = m;
    }

    /** From 16 row-major values; the last row must be 0 0 0 1. */
    public static Affine of(double[] rowMajor16) {
        if (rowMajor16.length != 16) {
            throw new IllegalArgumentException("expected 16 values, got " + rowMajor16.length);
        }
        double[] c = rowMajor16.clone();
        if (c[12] != 0 || c[13] != 0 || c[14] != 0 || c[15] != 1) {
            throw new IllegalArgumentException("last row must be 0 0 0 1: " + Arrays.toString(c));
        }
        return new Affine(c);
    }

    /** From a 3x3 linear part (row-major 9 values) and a translation. */
    public static Affine of(double[] linear9, double[] translation3) {
        double[] c = new double[16];
        for (int r = 0; r < 3; r++) {
            for (int col = 0; col < 3; col++) {
                c[r * 4 + col] = linear9[r * 3 + col];
            }
            c[r * 4 + 3] = translation3[r];
        }
        c[15] = 1;
        return new Affine(c);
    }

    public static Affine identity() {
        return diagonal(1, 1, 1);
    }

    public static Affine diagonal(double s0, double s1, double s2) {
        return of(new double[] {s0, 0, 0, 0, s1, 0, 0, 0, s2}, new double[] {0, 0, 0});
    }

    public static Affine translation(double t0, double t1, double t2) {
        return of(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new double[] {t0, t1, t2});
    }

    public double get(int row, int col) {
        return m[row * 4 + col];
    }

    public double[] toRowMajor() {
        return m.clone();
    }

    /** this · other (apply other first). */
    public Affine multiply(Affine other) {
        double[] r = new double[16];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double s = 0;
                for (int k = 0; k < 4; k++) {
                    s += m[i * 4 + k] * other.m[k * 4 + j];
                }
                r[i * 4 + j] = s;
            }
        }
        r[12] = 0;
        r[13] = 0;
        r[14] = 0;
        r[15] = 1;
        return new Affine(r);
    }

    /** The inverse, by Gauss-Jordan elimination with partial pivoting in double precision. */
    public Affine inverse() {
        double[][] a = new double[4][8];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                a[i][j] = m[i * 4 + j];
            }
            a[i][4 + i] = 1;
        }
        for (int col = 0; col < 4; col++) {
            int piv = col;
            for (int r = col + 1; r < 4; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) {
                    piv = r;
                }
            }
            if (Math.abs(a[piv][col]) < 1e-300) {
                throw new ArithmeticException("singular affine: " + this);
            }
            double[] t = a[col];
            a[col] = a[piv];
            a[piv] = t;
            double p = a[col][col];
            for (int j = 0; j < 8; j++) {
                a[col][j] /= p;
            }
            for (int r = 0; r < 4; r++) {
                if (r != col && a[r][col] != 0) {
                    double f = a[r][col];
                    for (int j = 0; j < 8; j++) {
                        a[r][j] -= f * a[col][j];
                    }
                }
            }
        }
        double[] r = new double[16];
        for (int i = 0; i < 4; i++) {
            System.arraycopy(a[i], 4, r, i * 4, 4);
        }
        r[12] = 0;
        r[13] = 0;
        r[14] = 0;
        r[15] = 1;
        return new Affine(r);
    }

    /** Applies the map to (x0, x1, x2, 1) and returns the first three coordinates. */
    public double[] apply(double x0, double x1, double x2) {
        double[] r = new double[3];
        for (int i = 0; i < 3; i++) {
            r[i] = m[i * 4] * x0 + m[i * 4 + 1] * x1 + m[i * 4 + 2] * x2 + m[i * 4 + 3];
        }
        return r;
    }

    /** Euclidean norm of column {@code col} of the 3x3 part: the voxel spacing along that axis for an index-to-world map. */
    public double columnNorm(int col) {
        double s = 0;
        for (int r = 0; r < 3; r++) {
            s += m[r * 4 + col] * m[r * 4 + col];
        }
        return Math.sqrt(s);
    }

    public boolean approximatelyEquals(Affine o, double tol) {
        for (int i = 0; i < 16; i++) {
            if (Math.abs(m[i] - o.m[i]) > tol) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Affine a && Arrays.equals(m, a.m);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(m);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (int r = 0; r < 3; r++) {
            b.append(r == 0 ? "" : "; ");
            for (int c = 0; c < 4; c++) {
                b.append(c == 0 ? "" : " ").append(m[r * 4 + c]);
            }
        }
        return b.append("]").toString();
    }
}
