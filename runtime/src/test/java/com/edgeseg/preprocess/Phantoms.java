package com.edgeseg.preprocess;

import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.volume.Volume;
import java.util.Random;
import java.util.function.IntUnaryOperator;

/** Small synthetic CTs and geometries for the preprocessing tests. */
final class Phantoms {
    private Phantoms() {
    }

    /** An affine whose column c points along world axis perm[c] with sign sign[c] and length spacing[c]. */
    static Affine signedPermutation(int[] perm, int[] sign, double[] spacing, double[] origin) {
        double[] lin = new double[9];
        for (int c = 0; c < 3; c++) {
            lin[perm[c] * 3 + c] = sign[c] * spacing[c];
        }
        return Affine.of(lin, origin);
    }

    /** Rotation about world z by {@code deg}, applied to an affine's directions. */
    static Affine rotateZ(Affine a, double deg) {
        double c = Math.cos(Math.toRadians(deg)), s = Math.sin(Math.toRadians(deg));
        return Affine.of(new double[] {c, -s, 0, s, c, 0, 0, 0, 1}, new double[] {0, 0, 0}).multiply(a);
    }

    static Affine random(Random r, double minSpacing, double maxSpacing, boolean oblique) {
        int[] perm = {0, 1, 2};
        for (int i = 2; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] sign = {r.nextBoolean() ? 1 : -1, r.nextBoolean() ? 1 : -1, r.nextBoolean() ? 1 : -1};
        double[] sp = new double[3];
        for (int i = 0; i < 3; i++) {
            sp[i] = minSpacing + r.nextDouble() * (maxSpacing - minSpacing);
        }
        double[] origin = {r.nextDouble() * 200 - 100, r.nextDouble() * 200 - 100, r.nextDouble() * 200 - 100};
        Affine a = signedPermutation(perm, sign, sp, origin);
        return oblique ? rotateZ(a, r.nextDouble() * 60 - 30) : a;
    }

    static Volume filled(Geometry g, IntUnaryOperator valueOfFlat) {
        float[] v = new float[g.dims().voxelCount()];
        for (int p = 0; p < v.length; p++) {
            v[p] = valueOfFlat.applyAsInt(p);
        }
        return Volume.wrap(g, v);
    }

    static Volume constant(Geometry g, float value) {
        float[] v = new float[g.dims().voxelCount()];
        java.util.Arrays.fill(v, value);
        return Volume.wrap(g, v);
    }

    static Volume randomHu(Geometry g, long seed) {
        Random r = new Random(seed);
        float[] v = new float[g.dims().voxelCount()];
        for (int p = 0; p < v.length; p++) {
            v[p] = (float) (r.nextDouble() * 2400 - 1100);
        }
        return Volume.wrap(g, v);
    }

    static Geometry geometry(Dims d, Affine a) {
        return Geometry.of(d, a);
    }

    /** Settings that keep every voxel (no crop) and leave intensities unchanged: for checking geometry only. */
    static PreprocessingSettings identityIntensity(double[] spacing, double threshold, int margin) {
        return new PreprocessingSettings(spacing, 0.001, PreprocessingSettings.Interpolation.BILINEAR, "border",
                new PreprocessingSettings.Foreground(threshold, margin),
                new PreprocessingSettings.Intensity(0, 1, 0, 1, false), "RAS");
    }
}
