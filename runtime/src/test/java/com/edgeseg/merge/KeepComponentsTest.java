package com.edgeseg.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.Dims;
import com.edgeseg.window.Click;
import java.util.List;
import org.junit.jupiter.api.Test;

/** §3.3 step 1 (point-only): keep components of logit > 0 holding a positive click; Q28 fill rule by hand. */
class KeepComponentsTest {
    private static final Dims LINE = new Dims(1, 1, 8);
    private static final float N = Float.NaN;

    @Test
    void parityFillsOtherComponentsWithTheMeanOfNonKeptNonNaNLogits() {
        float[] logits = {2, 3, -1, N, 4, -2, -3, -6};
        // kept: component 0..1 (+ click at 1); non-kept non-NaN: -1, 4, -2, -3, -6 -> mean -1.6
        float[] out = KeepComponents.apply(FidelityProfile.parity(), LINE, logits, List.of(new Click(0, 0, 1, 1)));
        assertArrayEquals(new float[] {2, 3, -1, N, -1.6f, -2, -3, -6}, out);
    }

    @Test
    void productDropsOtherComponentsToMinusOne() {
        float[] logits = {2, 3, -1, N, 4, -2, 5, 5};
        float[] out = KeepComponents.apply(FidelityProfile.product(), LINE, logits,
                List.of(new Click(0, 0, 7, 3), new Click(0, 0, 4, 0)));
        assertArrayEquals(new float[] {-1, -1, -1, N, -1, -2, 5, 5}, out);
    }

    @Test
    void noPositiveClickLeavesTheLogitsUnchanged() {
        float[] logits = {2, 3, -1, N, 4, -2, 5, 5};
        assertArrayEquals(logits, KeepComponents.apply(FidelityProfile.parity(), LINE, logits,
                List.of(new Click(0, 0, 4, 0))));
    }

    @Test
    void parityRoundsHalfEvenAndWrapsNegativeIndicesLikePython() {
        float[] logits = {2, -1, -1, -1, -1, -1, -1, 5};
        // round(-0.5) = -0 -> index 0; round(-1.4) = -1 -> wraps to 7 (Python indexing)
        float[] out = KeepComponents.apply(FidelityProfile.parity(), LINE, logits, List.of(new Click(0, 0, -1.4, 1)));
        assertEquals(5f, out[7]);
        assertEquals((float) (-4.0 / 7), out[0], 1e-6); // non-kept non-NaN: 2 and six -1 -> mean -4/7
        float[] half = KeepComponents.apply(FidelityProfile.parity(), LINE, logits, List.of(new Click(0, 0, 0.5, 1)));
        assertEquals(2f, half[0]);
        assertEquals((float) (-6.0 + 5.0) / 7f, half[7], 1e-6);
        // product clamps instead of wrapping: -1.4 -> 0
        float[] prod = KeepComponents.apply(FidelityProfile.product(), LINE, logits, List.of(new Click(0, 0, -1.4, 1)));
        assertEquals(2f, prod[0]);
        assertEquals(-1f, prod[7]);
    }
}
