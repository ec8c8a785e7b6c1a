package com.edgeseg.merge;

/** The merge's foreground test {@code sigmoid(x) > 0.5} evaluated in float32 (Q25), as an exact threshold. */
final class Thresholds {
    /** Smallest float x for which float32 {@code 1 / (1 + exp(-x)) > 0.5}. */
    static final float SIGMOID_HALF;

    static {
        // the float expression is monotone in x, so bisect over the ordered float bit patterns of (0, 1]
        int lo = Float.floatToIntBits(0f);
        int hi = Float.floatToIntBits(1f);
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (sigmoidAboveHalf(Float.intBitsToFloat(mid))) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        SIGMOID_HALF = Float.intBitsToFloat(hi);
    }

    private Thresholds() {
    }

    static boolean sigmoidAboveHalf(float x) {
        float e = (float) Math.exp(-x);
        return 1f / (1f + e) > 0.5f;
    }

    /** {@code sigmoid(x) > 0.5} in float32; false for NaN. */
    static boolean foreground(float x) {
        return x >= SIGMOID_HALF;
    }
}
