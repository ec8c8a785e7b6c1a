package com.edgeseg.window;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.edgeseg.geometry.Dims;
import org.junit.jupiter.api.Test;

/** Window weights of §4.1 step 6: ones, or a separable gaussian with sigma = 0.125 R clamped at 1e-3. */
class BlendWeightsTest {
    @Test
    void constantIsAllOnes() {
        for (float w : BlendWeights.constant(new Dims(16, 32, 48))) {
            assertEquals(1f, w);
        }
    }

    @Test
    void gaussianFollowsTheFormulaAndIsClampedAt1e3() {
        Dims roi = new Dims(128, 64, 32);
        float[] w = BlendWeights.gaussian(roi, 0.125);
        double min = Double.MAX_VALUE;
        for (int i = 0; i < roi.n0(); i += 7) {
            for (int j = 0; j < roi.n1(); j += 5) {
                for (int k = 0; k < roi.n2(); k += 3) {
                    double e = g(i, 128) * g(j, 64) * g(k, 32);
                    double expected = Math.max(e, 1e-3);
                    assertEquals(expected, w[roi.index(i, j, k)], 1e-6 * Math.max(expected, 1e-3), i + "," + j + "," + k);
                    min = Math.min(min, w[roi.index(i, j, k)]);
                }
            }
        }
        assertEquals(1e-3f, w[roi.index(0, 0, 0)]);
        // the centre of an even roi sits between voxels: the peak is exp(-0.25/(2 sigma^2)) per axis, not 1
        assertEquals(g(63, 128) * g(31, 64) * g(15, 32), w[roi.index(63, 31, 15)], 1e-6);
        assertEquals(w[roi.index(63, 31, 15)], w[roi.index(64, 32, 16)]);
    }

    private static double g(int i, int r) {
        double t = i - (r - 1) / 2.0;
        double sigma = 0.125 * r;
        return Math.exp(-t * t / (2 * sigma * sigma));
    }
}
