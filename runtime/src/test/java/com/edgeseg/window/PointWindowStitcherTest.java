package com.edgeseg.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.Dims;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stitching of click windows: parity sums overlaps, leaves NaN outside, edits a previous mask in place and adds -9999
 * for click-less windows (Q6, Q7, Q38); product averages, keeps the base outside and merges into the original base.
 * Two 16^3 windows on a 24x16x16 image: click A at (4,8,8) opens [0,16), click B at (19,8,8) opens [8,24) along axis 0;
 * they overlap on planes 8..15.
 */
class PointWindowStitcherTest {
    private static final Dims IMAGE = new Dims(24, 16, 16);
    private static final int[] ROI = {16, 16, 16};
    private static final List<Click> CLICKS = List.of(new Click(4, 8, 8, 1), new Click(19, 8, 8, 1));
    private static final int WIN = 16 * 16 * 16;

    @Test
    void paritySumsOverlapsAndLeavesNaNOutsideWithoutBase() {
        Dims image = new Dims(40, 16, 16);
        PointWindowPlan plan = PointWindowPlan.of(image, ROI, CLICKS, 0, FidelityProfile.parity());
        PointWindowStitcher st = new PointWindowStitcher(plan, FidelityProfile.parity(), null);
        assertNull(st.baseWindow(plan.windows().get(0)));
        st.add(plan.windows().get(0), filled(2f));
        st.add(plan.windows().get(1), filled(-0.5f));
        float[] out = st.finish();
        assertEquals(2f, out[image.index(3, 0, 0)]);
        assertEquals(1.5f, out[image.index(12, 5, 5)]); // B = [11,27) here // 2 + (-0.5): summed, not averaged
        assertEquals(-0.5f, out[image.index(20, 5, 5)]);
        assertTrue(Float.isNaN(out[image.index(30, 5, 5)])); // no window: 0/0
    }

    @Test
    void productAveragesOverlapsAndKeepsTheBaseOutside() {
        Dims image = new Dims(40, 16, 16);
        float[] base = new float[image.voxelCount()];
        Arrays.fill(base, -3f);
        PointWindowPlan plan = PointWindowPlan.of(image, ROI, CLICKS, 0, FidelityProfile.product());
        PointWindowStitcher st = new PointWindowStitcher(plan, FidelityProfile.product(), base);
        st.add(plan.windows().get(0), filled(2f));
        st.add(plan.windows().get(1), filled(-0.5f));
        float[] out = st.finish();
        assertEquals(0.75f, out[image.index(12, 5, 5)]);
        assertEquals(-3f, out[image.index(30, 5, 5)]);
        PointWindowStitcher noBase = new PointWindowStitcher(plan, FidelityProfile.product(), null);
        assertEquals(PointWindowStitcher.BACKGROUND_LOGIT, noBase.finish()[0]);
    }

    @Test
    void parityEditsThePreviousMaskInPlaceInWindowOrder() {
        float[] prev = new float[IMAGE.voxelCount()];
        Arrays.fill(prev, -1f);
        float[] prevCopy = prev.clone();
        PointWindowPlan plan = PointWindowPlan.of(IMAGE, ROI, CLICKS, 0, FidelityProfile.parity());
        PointWindowStitcher st = new PointWindowStitcher(plan, FidelityProfile.parity(), prev);
        PointWindow a = plan.windows().get(0);
        PointWindow b = plan.windows().get(1);
        assertArrayEquals(filled(-1f), st.baseWindow(a));
        st.add(a, filled(5f));
        float[] seenByB = st.baseWindow(b);
        // window B = planes 8..23; its local planes 0..7 (image 8..15) were overwritten by A's result
        assertEquals(5f, seenByB[Dims.of(ROI).index(7, 0, 0)]);
        assertEquals(-1f, seenByB[Dims.of(ROI).index(8, 0, 0)]);
        st.add(b, filled(1f));
        float[] out = st.finish();
        assertEquals(6f, out[IMAGE.index(12, 0, 0)]);
        assertArrayEquals(prevCopy, prev, "the caller's previous mask is not modified");

        PointWindowStitcher product = new PointWindowStitcher(plan, FidelityProfile.product(), prev);
        product.add(a, filled(5f));
        assertArrayEquals(filled(-1f), product.baseWindow(b), "product merges every window into the original base");
    }

    @Test
    void previousMaskIsZeroPaddedAndPaddingEditsPersistInParity() {
        Dims image = new Dims(24, 10, 16); // axis 1 padded by 3 before, 3 after
        float[] prev = new float[image.voxelCount()];
        Arrays.fill(prev, 7f);
        PointWindowPlan plan = PointWindowPlan.of(image, ROI, List.of(new Click(4, 5, 8, 1), new Click(19, 5, 8, 1)), 0,
                FidelityProfile.parity());
        PointWindowStitcher st = new PointWindowStitcher(plan, FidelityProfile.parity(), prev);
        Dims roi = Dims.of(ROI);
        float[] wa = st.baseWindow(plan.windows().get(0));
        assertEquals(0f, wa[roi.index(0, 0, 0)]);
        assertEquals(7f, wa[roi.index(0, 3, 0)]);
        st.add(plan.windows().get(0), filled(4f));
        float[] wb = st.baseWindow(plan.windows().get(1));
        assertEquals(4f, wb[roi.index(0, 0, 0)], "padding voxel edited by window A");
        assertEquals(0f, wb[roi.index(15, 0, 0)]);
    }

    @Test
    void clicklessWindowsAddMinus9999InParityAndNothingInProduct() {
        PointWindowPlan plan = PointWindowPlan.of(IMAGE, ROI, CLICKS, 0, FidelityProfile.parity());
        PointWindowStitcher st = new PointWindowStitcher(plan, FidelityProfile.parity(), null);
        st.add(plan.windows().get(0), filled(1f));
        st.addEmpty(plan.windows().get(1));
        float[] out = st.finish();
        assertEquals(1f - 9999f, out[IMAGE.index(10, 0, 0)]);
        assertEquals(-9999f, out[IMAGE.index(20, 0, 0)]);

        float[] base = new float[IMAGE.voxelCount()];
        PointWindowStitcher pr = new PointWindowStitcher(plan, FidelityProfile.product(), base);
        pr.add(plan.windows().get(0), filled(1f));
        pr.addEmpty(plan.windows().get(1));
        float[] p = pr.finish();
        assertEquals(1f, p[IMAGE.index(10, 0, 0)]);
        assertEquals(0f, p[IMAGE.index(20, 0, 0)]);
    }

    @Test
    void referenceNaNPatternOfThePointAutoCallIsTheUncoveredRegion() throws IOException {
        Dims image = new Dims(80, 72, 48);
        PointWindowPlan plan = PointWindowPlan.of(image, new int[] {64, 64, 64},
                ReferenceVectors.clicks("point_auto_window"), 0, FidelityProfile.parity());
        PointWindowStitcher st = new PointWindowStitcher(plan, FidelityProfile.parity(), null);
        for (PointWindow w : plan.windows()) {
            st.add(w, new float[64 * 64 * 64]);
        }
        float[] out = st.finish();
        float[] ref = ReferenceVectors.load("point_auto_window.logits.npy").floats();
        int mismatches = 0;
        for (int v = 0; v < ref.length; v++) {
            if (Float.isNaN(ref[v]) != Float.isNaN(out[v])) {
                mismatches++;
            }
        }
        assertEquals(0, mismatches);
    }

    @Test
    void referenceEditOfThePreviousMaskKeepsItExactlyOutsideTheWindows() throws IOException {
        Dims image = new Dims(80, 72, 48);
        float[] auto = ReferenceVectors.load("auto_sw.logits.npy").floats();
        float[] prev = Arrays.copyOfRange(auto, 2 * image.voxelCount(), 3 * image.voxelCount()); // class 3
        PointWindowPlan plan = PointWindowPlan.of(image, new int[] {64, 64, 64},
                ReferenceVectors.clicks("edit_prev_mask"), 0, FidelityProfile.parity());
        PointWindowStitcher st = new PointWindowStitcher(plan, FidelityProfile.parity(), prev);
        boolean[] covered = new boolean[image.voxelCount()];
        for (PointWindow w : plan.windows()) {
            st.add(w, st.baseWindow(w));
            Window win = w.window();
            for (int i = Math.max(0, win.o0()); i < Math.min(80, win.end(0)); i++) {
                for (int j = Math.max(0, win.o1()); j < Math.min(72, win.end(1)); j++) {
                    for (int k = Math.max(0, win.o2()); k < Math.min(48, win.end(2)); k++) {
                        covered[image.index(i, j, k)] = true;
                    }
                }
            }
        }
        float[] out = st.finish();
        float[] ref = ReferenceVectors.load("edit_prev_mask.logits.npy").floats();
        int outside = 0;
        for (int v = 0; v < ref.length; v++) {
            if (!covered[v]) {
                outside++;
                assertEquals(ref[v], out[v], "voxel " + v);
                assertEquals(prev[v], ref[v]);
            }
        }
        assertTrue(outside > 1000, "the windows leave part of the volume to the previous mask");
    }

    private static float[] filled(float v) {
        float[] a = new float[WIN];
        Arrays.fill(a, v);
        return a;
    }
}
