package com.edgeseg.preprocess;

import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;

/**
 * Where MONAI's {@code Spacingd} (diagonal=False, scale_extent=False, align_corners=False) puts the resampled
 * grid (§3.1 step 4, §8 Q19/Q20): per-axis target spacing with the keep tolerance, the rotation of the input
 * affine kept (A = R·Z by Cholesky, A' = R·diag(spacing)), the output size from the 8 corner centres rounded
 * half-even, the origin at the input corner that is minimal on every output axis (else centre-aligned), and
 * no resampling when nothing changes within 1e-3.
 *
 * @param target the resampled grid
 * @param sourceOfTarget continuous input index of each target index, {@code inv(A)·A'}
 * @param resampled false when the reference skips resampling; then {@code target} is the input grid itself
 */
record SpacingPlan(Geometry target, Affine sourceOfTarget, boolean resampled) {
    private static final double AFFINE_TOL = 1e-3;

    /**
     * Largest resampled grid (voxels) the preprocessing plans: a bound on what a header can make the pipeline
     * allocate. System property {@code edgeseg.maxNetworkVoxels}; default 2^28 (1 GiB as float32, e.g. a
     * 640 × 640 × 650 grid at 1.5 mm: a whole adult body).
     */
    public static final long MAX_NETWORK_VOXELS = Long.getLong("edgeseg.maxNetworkVoxels", 1L << 28);

    private static com.edgeseg.ResourceLimitException tooLarge(Dims in, double[] spacing, String what) {
        return new com.edgeseg.ResourceLimitException("resampling " + in + " to " + java.util.Arrays.toString(spacing)
                + " mm gives a grid of " + what + " voxels; expected at most " + MAX_NETWORK_VOXELS
                + " (-Dedgeseg.maxNetworkVoxels), i.e. a series whose extent in mm fits the model's windows");
    }

    static SpacingPlan of(Geometry in, double[] spacing, double keepTolerance) {
        Affine a = in.indexToWorld();
        double[] outD = new double[3];
        for (int i = 0; i < 3; i++) {
            double cur = a.columnNorm(i);
            outD[i] = (spacing[i] - keepTolerance <= cur && cur <= spacing[i] + keepTolerance) ? cur : spacing[i];
        }
        double[][] m = new double[3][3];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                m[r][c] = a.get(r, c);
            }
        }
        double[][] z = choleskyUpper(gram(m));
        double[][] rot = multiply(m, invertUpper(z));
        double[] lin = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                lin[r * 3 + c] = rot[r][c] * Math.signum(z[c][c]) * Math.abs(outD[c]);
            }
        }
        Affine zoomOnly = Affine.of(lin, new double[] {0, 0, 0});
        Dims inDims = in.dims();

        // the 8 corner voxel centres in world space, in numpy meshgrid 'ij' order
        double[][] corners = new double[8][];
        int ci = 0;
        for (int c0 = 0; c0 < 2; c0++) {
            for (int c1 = 0; c1 < 2; c1++) {
                for (int c2 = 0; c2 < 2; c2++) {
                    corners[ci++] = a.apply(c0 * (inDims.n0() - 1.0), c1 * (inDims.n1() - 1.0), c2 * (inDims.n2() - 1.0));
                }
            }
        }
        Affine inv = zoomOnly.inverse();
        double[][] out = new double[8][];
        for (int k = 0; k < 8; k++) {
            out[k] = inv.apply(corners[k][0], corners[k][1], corners[k][2]);
        }
        int[] shape = new int[3];
        for (int ax = 0; ax < 3; ax++) {
            double mn = Double.POSITIVE_INFINITY, mx = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < 8; k++) {
                mn = Math.min(mn, out[k][ax]);
                mx = Math.max(mx, out[k][ax]);
            }
            double extent = Math.rint(mx - mn + 1.0); // numpy round: half to even (§8 Q19)
            if (!(extent <= MAX_NETWORK_VOXELS)) {
                throw tooLarge(inDims, outD, extent + " along axis " + ax);
            }
            shape[ax] = (int) extent;
        }
        if ((double) shape[0] * shape[1] * shape[2] > MAX_NETWORK_VOXELS) {
            throw tooLarge(inDims, outD, shape[0] + "x" + shape[1] + "x" + shape[2]);
        }
        double[] offset = null;
        for (int k = 0; k < 8 && offset == null; k++) {
            boolean minimal = true;
            for (int ax = 0; ax < 3 && minimal; ax++) {
                double mn = Double.POSITIVE_INFINITY;
                for (int q = 0; q < 8; q++) {
                    mn = Math.min(mn, out[q][ax] - out[k][ax]);
                }
                minimal = Math.abs(mn) <= 1e-8; // np.allclose(x, 0, rtol=1e-3) has only its default atol 1e-8 at 0
            }
            if (minimal) {
                offset = corners[k];
            }
        }
        if (offset == null) {
            // centre-aligned: A[:3,:3]·(shape/2) + A[:3,3] - A'[:3,:3]·(out_shape/2)
            double[] c1 = a.apply(inDims.n0() / 2.0, inDims.n1() / 2.0, inDims.n2() / 2.0);
            double[] c2 = zoomOnly.apply(shape[0] / 2.0, shape[1] / 2.0, shape[2] / 2.0);
            offset = new double[] {c1[0] - c2[0], c1[1] - c2[1], c1[2] - c2[2]};
        }
        Affine target = Affine.of(lin, offset);
        Dims outDims = Dims.of(shape);
        Affine x = a.inverse().multiply(target);
        boolean sameShape = outDims.equals(inDims);
        boolean unchanged = sameShape && (allClose(a, target) || allClose(x, Affine.identity()));
        if (unchanged) {
            // the reference only relabels the affine here (changes below 1e-3); EdgeSeg keeps the true grid
            return new SpacingPlan(in, Affine.identity(), false);
        }
        return new SpacingPlan(Geometry.of(outDims, target), x, true);
    }

    private static double[][] gram(double[][] m) {
        double[][] g = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int k = 0; k < 3; k++) {
                    s += m[k][i] * m[k][j];
                }
                g[i][j] = s;
            }
        }
        return g;
    }

    /** Upper-triangular Z with Z^T Z = g (transpose of the lower Cholesky factor). */
    private static double[][] choleskyUpper(double[][] g) {
        double[][] l = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j <= i; j++) {
                double s = g[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new InvalidImageException("image affine is singular (direction columns are linearly dependent)");
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        double[][] z = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                z[i][j] = l[j][i];
            }
        }
        return z;
    }

    private static double[][] invertUpper(double[][] z) {
        double[][] r = new double[3][3];
        for (int col = 0; col < 3; col++) {
            for (int i = 2; i >= 0; i--) {
                double s = i == col ? 1 : 0;
                for (int k = i + 1; k < 3; k++) {
                    s -= z[i][k] * r[k][col];
                }
                r[i][col] = s / z[i][i];
            }
        }
        return r;
    }

    private static double[][] multiply(double[][] p, double[][] q) {
        double[][] r = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int k = 0; k < 3; k++) {
                    s += p[i][k] * q[k][j];
                }
                r[i][j] = s;
            }
        }
        return r;
    }

    /** numpy/torch allclose(p, q, atol=1e-3): |p - q| <= 1e-3 + 1e-5·|q| for every element. */
    private static boolean allClose(Affine p, Affine q) {
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                if (!(Math.abs(p.get(r, c) - q.get(r, c)) <= AFFINE_TOL + 1e-5 * Math.abs(q.get(r, c)))) {
                    return false;
                }
            }
        }
        return true;
    }
}
