package com.edgeseg.preprocess;

import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.Dims;
import com.edgeseg.volume.Volume;

/**
 * Centre-to-centre resampling through an index map {@code q = X·o} (output index o to continuous input
 * index q), with border clamping of q to [0, n-1] per axis, in double precision (§3.1, §8 Q21).
 */
final class Resampling {
    /** Distance from a half-integer below which a coordinate counts as an exact tie (float noise of the affines). */
    static final double TIE_EPS = 1e-9;

    private Resampling() {
    }

    /** Trilinear interpolation of {@code src} at every voxel of {@code out}, cast to float32. */
    static float[] trilinear(Volume src, Dims out, Affine x) {
        Dims in = src.dims();
        float[] dst = new float[out.voxelCount()];
        int n0 = in.n0(), n1 = in.n1(), n2 = in.n2();
        int s0 = n1 * n2;
        int p = 0;
        for (int o0 = 0; o0 < out.n0(); o0++) {
            for (int o1 = 0; o1 < out.n1(); o1++) {
                double b0 = x.get(0, 0) * o0 + x.get(0, 1) * o1 + x.get(0, 3);
                double b1 = x.get(1, 0) * o0 + x.get(1, 1) * o1 + x.get(1, 3);
                double b2 = x.get(2, 0) * o0 + x.get(2, 1) * o1 + x.get(2, 3);
                for (int o2 = 0; o2 < out.n2(); o2++) {
                    double q0 = clamp(b0 + x.get(0, 2) * o2, n0);
                    double q1 = clamp(b1 + x.get(1, 2) * o2, n1);
                    double q2 = clamp(b2 + x.get(2, 2) * o2, n2);
                    int i0 = (int) Math.floor(q0), j0 = (int) Math.floor(q1), k0 = (int) Math.floor(q2);
                    double f0 = q0 - i0, f1 = q1 - j0, f2 = q2 - k0;
                    int i1 = Math.min(i0 + 1, n0 - 1), j1 = Math.min(j0 + 1, n1 - 1), k1 = Math.min(k0 + 1, n2 - 1);
                    double g0 = 1 - f0, g1 = 1 - f1, g2 = 1 - f2;
                    int a00 = i0 * s0 + j0 * n2, a01 = i0 * s0 + j1 * n2, a10 = i1 * s0 + j0 * n2, a11 = i1 * s0 + j1 * n2;
                    double v = g0 * (g1 * (g2 * src.getFlat(a00 + k0) + f2 * src.getFlat(a00 + k1))
                                    + f1 * (g2 * src.getFlat(a01 + k0) + f2 * src.getFlat(a01 + k1)))
                            + f0 * (g1 * (g2 * src.getFlat(a10 + k0) + f2 * src.getFlat(a10 + k1))
                                    + f1 * (g2 * src.getFlat(a11 + k0) + f2 * src.getFlat(a11 + k1)));
                    dst[p++] = (float) v;
                }
            }
        }
        return dst;
    }

    /** Nearest-neighbour image sampling the way PyTorch rounds (half to even, no tie snapping). */
    static float[] nearest(Volume src, Dims out, Affine x) {
        Dims in = src.dims();
        float[] dst = new float[out.voxelCount()];
        int p = 0;
        for (int o0 = 0; o0 < out.n0(); o0++) {
            for (int o1 = 0; o1 < out.n1(); o1++) {
                for (int o2 = 0; o2 < out.n2(); o2++) {
                    double[] q = x.apply(o0, o1, o2);
                    int i = (int) Math.rint(clamp(q[0], in.n0()));
                    int j = (int) Math.rint(clamp(q[1], in.n1()));
                    int k = (int) Math.rint(clamp(q[2], in.n2()));
                    dst[p++] = src.getFlat(in.index(i, j, k));
                }
            }
        }
        return dst;
    }

    static double clamp(double q, int n) {
        return q < 0 ? 0 : (q > n - 1 ? n - 1 : q);
    }

    /**
     * The nearest voxel of a label map for a clamped continuous index: round half to even, where a coordinate
     * within {@link #TIE_EPS} of a half-integer counts as an exact tie (§8 Q22, product rule: decided from the
     * exact geometry, not from float noise).
     */
    static int nearestLabelIndex(double q, int n) {
        double c = clamp(q, n);
        double f = Math.floor(c);
        double frac = c - f;
        int r;
        if (Math.abs(frac - 0.5) <= TIE_EPS) {
            long fl = (long) f;
            r = (int) ((fl & 1L) == 0 ? fl : fl + 1);
        } else {
            r = (int) Math.rint(c);
        }
        return Math.min(Math.max(r, 0), n - 1);
    }
}
