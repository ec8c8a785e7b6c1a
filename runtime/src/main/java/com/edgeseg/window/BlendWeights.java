package com.edgeseg.window;

import com.edgeseg.geometry.Dims;
import java.util.Arrays;

/** Per-voxel weights of one dense window (MONAI {@code compute_importance_map}), C order over the roi. */
public final class BlendWeights {
    private BlendWeights() {
    }

    /** The weights the settings ask for. */
    public static float[] of(WindowSettings settings) {
        return settings.blend() == WindowSettings.Blend.GAUSSIAN
                ? gaussian(settings.roi(), settings.sigmaScale())
                : constant(settings.roi());
    }

    public static float[] constant(Dims roi) {
        float[] w = new float[roi.voxelCount()];
        Arrays.fill(w, 1f);
        return w;
    }

    /**
     * Separable gaussian {@code exp(-t^2 / (2 sigma^2))}, {@code t = -(R-1)/2 .. (R-1)/2}, {@code sigma = sigmaScale * R},
     * in float32 like MONAI, product over the axes (axis 0 first), then clamped from below at
     * {@code max(min(w), 1e-3)}.
     */
    public static float[] gaussian(Dims roi, double sigmaScale) {
        float[][] g = new float[3][];
        for (int a = 0; a < 3; a++) {
            int r = roi.get(a);
            float sigma = (float) (r * sigmaScale);
            g[a] = new float[r];
            float twoSigma2 = -2f * sigma * sigma;
            for (int i = 0; i < r; i++) {
                float t = -(r - 1) / 2.0f + i;
                g[a][i] = (float) Math.exp(t * t / twoSigma2);
            }
        }
        float[] w = new float[roi.voxelCount()];
        float min = Float.POSITIVE_INFINITY;
        int idx = 0;
        for (int i = 0; i < roi.n0(); i++) {
            for (int j = 0; j < roi.n1(); j++) {
                float ij = g[0][i] * g[1][j];
                for (int k = 0; k < roi.n2(); k++) {
                    float v = ij * g[2][k];
                    w[idx++] = v;
                    min = Math.min(min, v);
                }
            }
        }
        float floor = Math.max(min, 1e-3f);
        for (int i = 0; i < w.length; i++) {
            if (w[i] < floor) {
                w[i] = floor;
            }
        }
        return w;
    }
}
