package com.edgeseg.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.Dims;
import com.edgeseg.window.Click;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each rule of the §3.4 merge on hand-worked windows. Most cases use a 1x1x12 line so that the expected result can be
 * written out; "+k"/"-k" name a positive/negative click at (0, 0, k).
 */
class ComponentMergeTest {
    private static final Dims LINE = new Dims(1, 1, 12);
    private static final ComponentMerge PARITY = new ComponentMerge(FidelityProfile.parity());
    private static final ComponentMerge PRODUCT = new ComponentMerge(FidelityProfile.product());
    private static final float N = Float.NaN;

    @Test
    void positiveClickAddsOnlyItsOwnPointComponent() {
        float[] base = {5, 5, 5, -5, -5, -5, -5, -5, -5, -5, -5, -5};
        float[] point = {-3, -3, -3, -3, -3, 4, 4, 4, -3, -3, 4, 4};
        float[] expected = {5, 5, 5, -5, -5, 4, 4, 4, -5, -5, -5, -5};
        assertArrayEquals(expected, PARITY.merge(LINE, base, point, List.of(click(6, 1))));
        assertArrayEquals(expected, PRODUCT.merge(LINE, base, point, List.of(click(6, 1))));
    }

    @Test
    void clickOnThePositiveBaseLetsThePointComponentReplaceTheOverlap() {
        float[] base = {5, 5, 5, 5, 5, -5, -5, -5, -5, -5, -5, -5};
        float[] point = {-3, -3, 4, 4, 4, 4, 4, 4, -3, -3, -3, -3};
        // +3 lies on base > 0: inside, add = Q, the component 2..7 replaces the base
        assertArrayEquals(new float[] {5, 5, 4, 4, 4, 4, 4, 4, -5, -5, -5, -5},
                PARITY.merge(LINE, base, point, List.of(click(3, 1))));
        // +6 lies outside the base: add = Q and not A = 5..7 only
        assertArrayEquals(new float[] {5, 5, 5, 5, 5, 4, 4, 4, -5, -5, -5, -5},
                PARITY.merge(LINE, base, point, List.of(click(6, 1))));
    }

    @Test
    void insideRuleAnyClickInParityPositiveOnlyInProduct() {
        float[] base = {5, 5, 5, 5, 5, -5, -5, -5, -5, -5, -5, -5};
        float[] point = {-3, -3, 4, 4, 4, 4, 4, 4, -3, -3, -3, -3};
        List<Click> clicks = List.of(click(6, 1), click(1, 0));
        // parity: the negative click on base > 0 makes "inside" true, so +6 takes the whole component 2..7;
        // -1 removes the rm component 0..1 (base positive, point negative)
        assertArrayEquals(new float[] {-3, -3, 4, 4, 4, 4, 4, 4, -5, -5, -5, -5},
                PARITY.merge(LINE, base, point, clicks));
        // product: only positive clicks count, +6 is off the base: only 5..7 is added, 2..4 keep the base
        assertArrayEquals(new float[] {-3, -3, 5, 5, 5, 4, 4, 4, -5, -5, -5, -5},
                PRODUCT.merge(LINE, base, point, clicks));
    }

    @Test
    void negativeClickRemovesItsBaseComponentOnly() {
        float[] base = {5, 5, 5, 5, 5, 5, -5, -5, 5, 5, -5, -5};
        float[] point = {4, 4, 4, -3, -3, -3, -3, -3, -3, -3, -3, -3};
        // rm = A and not Q = 3..5 and 8..9; -4 selects 3..5; 8..9 stays; 0..2 (no positive click) keeps the base
        float[] expected = {5, 5, 5, -3, -3, -3, -5, -5, 5, 5, -5, -5};
        assertArrayEquals(expected, PARITY.merge(LINE, base, point, List.of(click(4, 0))));
        assertArrayEquals(expected, PRODUCT.merge(LINE, base, point, List.of(click(4, 0))));
    }

    @Test
    void specialLabelsThreeAndTwoMergeLikeOneAndZero() {
        float[] base = {5, 5, 5, 5, 5, -5, -5, -5, -5, 5, 5, 5};
        float[] point = {-3, -3, 4, 4, 4, 4, 4, 4, -3, -3, -3, 5};
        float[] plain = PARITY.merge(LINE, base, point, List.of(click(6, 1), click(10, 0)));
        float[] special = PARITY.merge(LINE, base, point, List.of(click(6, 3), click(10, 2)));
        assertArrayEquals(plain, special);
        // the negative click lies on base > 0, so (parity) "inside" holds and +6 takes the whole component 2..7
        assertArrayEquals(new float[] {5, 5, 4, 4, 4, 4, 4, 4, -5, -3, -3, 5}, special);
    }

    @Test
    void severalClicksInOneWindowUniteTheirComponents() {
        float[] base = {-5, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5};
        float[] point = {4, 4, -3, 4, -3, 4, 4, -3, -3, 4, -3, -3};
        assertArrayEquals(new float[] {4, 4, -5, -5, -5, 4, 4, -5, -5, 4, -5, -5},
                PARITY.merge(LINE, base, point, List.of(click(0, 1), click(6, 1), click(9, 1))));
    }

    @Test
    void clicksInNaNRegions() {
        float[] base = {N, N, N, N, N, N, -5, -5, -5, -5, -5, -5};
        float[] point = {-3, -3, 4, 4, -3, -3, -3, -3, 4, 4, -3, -3};
        // parity: NaN * 0 = NaN, so NaN stays even where the point logits are taken (Q8)
        assertArrayEquals(new float[] {N, N, N, N, N, N, -5, -5, 4, 4, -5, -5},
                PARITY.merge(LINE, base, point, List.of(click(8, 1))));
        // product: NaN voxels take the point logits, unselected positive ones -1
        assertArrayEquals(new float[] {-3, -3, -1, -1, -3, -3, -5, -5, 4, 4, -5, -5},
                PRODUCT.merge(LINE, base, point, List.of(click(8, 1))));
        // a positive click inside the NaN region selects its component there
        assertArrayEquals(new float[] {-3, -3, 4, 4, -3, -3, -5, -5, -5, -5, -5, -5},
                PRODUCT.merge(LINE, base, point, List.of(click(2, 1))));
        assertArrayEquals(new float[] {N, N, N, N, N, N, -5, -5, -5, -5, -5, -5},
                PARITY.merge(LINE, base, point, List.of(click(2, 1))));
    }

    @Test
    void clickOnTheWindowsLastVoxelBorderRoundsPastTheEndAndGrowsTheCube() {
        float[] base = {-5, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5, 5};
        float[] point = {-3, -3, -3, -3, -3, -3, -3, -3, -3, 4, 4, 4};
        // local 11.7 rounds to 12 = size: the inside test is clamped to voxel 11 (base 5 > 0 -> inside);
        // the cube of half-size 0 at 12 is empty, half-size 1 finds component 9..11
        assertArrayEquals(new float[] {-5, -5, -5, -5, -5, -5, -5, -5, -5, 4, 4, 4},
                PARITY.merge(LINE, base, point, List.of(click(11.7, 1))));
    }

    @Test
    void cubeLookupRoundsTheFloat32CoordinateLikeTheReference() {
        float[] base = {-5, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5};
        float[] point = {-3, -3, 4, -3, 4, -3, -3, -3, -3, -3, -3, -3};
        // 2.5000000001 is 2.5 in float32 -> half-even 2 -> component at 2 (rounding the double would give 3,
        // an empty voxel, then the cube 2..4 and the max id, the component at 4)
        assertArrayEquals(new float[] {-5, -5, 4, -5, -5, -5, -5, -5, -5, -5, -5, -5},
                PARITY.merge(LINE, base, point, List.of(click(2.5000000001, 1))));
    }

    @Test
    void componentChoiceMaxIdInParityNearestInProduct() {
        Dims d = new Dims(3, 3, 3);
        float[] base = new float[27];
        java.util.Arrays.fill(base, -5);
        float[] point = new float[27];
        java.util.Arrays.fill(point, -3);
        point[d.index(0, 1, 1)] = 4; // id 1, distance 1 from the click
        point[d.index(2, 2, 2)] = 4; // id 2, distance sqrt(3)
        List<Click> clicks = List.of(new Click(1, 1, 1, 1));
        float[] parity = PARITY.merge(d, base, point, clicks);
        assertTrue(parity[d.index(2, 2, 2)] == 4 && parity[d.index(0, 1, 1)] == -5, "max id = far corner");
        float[] product = PRODUCT.merge(d, base, point, clicks);
        assertTrue(product[d.index(0, 1, 1)] == 4 && product[d.index(2, 2, 2)] == -5, "nearest");
    }

    @Test
    void mergeThresholdIsFloat32SigmoidNotSign() {
        assertFalse(Thresholds.foreground(1e-8f), "sigmoid(1e-8) rounds to 0.5 in float32");
        assertTrue(Thresholds.foreground(2e-7f));
        assertFalse(Thresholds.foreground(0f));
        assertFalse(Thresholds.foreground(Float.NaN));
        assertTrue(Thresholds.SIGMOID_HALF > 0 && Thresholds.SIGMOID_HALF < 1.3e-7f);
        // a base voxel of 1e-8 is not base foreground: a point component over it is addable without "inside"
        float[] base = {1e-8f, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5};
        float[] point = {4, 4, -3, -3, -3, -3, -3, -3, -3, -3, -3, -3};
        assertArrayEquals(new float[] {4, 4, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5},
                PARITY.merge(LINE, base, point, List.of(click(1, 1))));
    }

    private static Click click(double k, int label) {
        return new Click(0, 0, k, label);
    }
}
