package com.edgeseg.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.Dims;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Click-centred window placement and the inside test (§4.2, Q4, Q5, Q11), worked by hand. */
class PointWindowPlanTest {
    private static final int[] ROI = {16, 16, 16};

    @Test
    void centredClampedAndTruncatedPlacement() {
        Dims image = new Dims(40, 40, 40);
        List<Click> clicks = List.of(new Click(3.9, 20.7, 39.5, 1));
        Window w = PointWindowPlan.of(image, ROI, clicks, 0, FidelityProfile.parity()).windows().get(0).window();
        // 3.9 - 8 < 0 -> [0,16); 20.7 -> trunc 20 -> [12,28); 39.5 + 8 > 40 -> [24,40)
        assertEquals(new Window(0, 0, 12, 24, Dims.of(ROI)), w);
    }

    @Test
    void productClickWindowsSnapToAQuarterWindowGridSoNearbyClicksShareOne() {
        Dims image = new Dims(64, 64, 64);
        // centred starts 21-8 = 13, 26-8 = 18 and 29-8 = 21 snap to the grid of 16/4 = 4: 12, 20 (18/4 = 4.5 -> 5), 20
        Window a = PointWindowPlan.of(image, ROI, List.of(new Click(21, 30, 30, 1)), 0, FidelityProfile.product())
                .windows().get(0).window();
        Window b = PointWindowPlan.of(image, ROI, List.of(new Click(26.6, 30, 30, 1)), 0, FidelityProfile.product())
                .windows().get(0).window();
        Window c = PointWindowPlan.of(image, ROI, List.of(new Click(29, 30, 30, 1)), 0, FidelityProfile.product())
                .windows().get(0).window();
        assertEquals(12, a.o0());
        assertEquals(20, b.o0());
        assertEquals(b.key(), c.key(), "clicks 2.4 voxels apart open the same window");
        assertEquals(24, b.o1(), "30 - 8 = 22 snaps to 24 (22 / 4 = 5.5 rounds half up)");
        for (Window w : List.of(a, b, c)) {
            assertTrue(w.o0() >= 0 && w.end(0) <= 64, "snapped windows stay inside the image");
        }
        // the reference centres every window on its click
        Window p = PointWindowPlan.of(image, ROI, List.of(new Click(26.6, 30, 30, 1)), 0, FidelityProfile.parity())
                .windows().get(0).window();
        assertEquals(18, p.o0());
    }

    @Test
    void paddingShiftsClicksAndWindowsReachIntoIt() {
        Dims image = new Dims(40, 10, 40);
        List<Click> clicks = List.of(new Click(20, 5.25, 20, 1));
        PointWindowPlan plan = PointWindowPlan.of(image, ROI, clicks, 0, FidelityProfile.parity());
        assertEquals(3, plan.padBefore()[1]); // (16 - 10) // 2
        PointWindow pw = plan.windows().get(0);
        // padded p = 8.25: 8.25 - 8 >= 0 and 8.25 + 8 > 16 -> [0,16) padded = [-3, 13) image
        assertEquals(-3, pw.window().o1());
        assertEquals(8.25, pw.localClicks().get(0).x1());
        float[] vol = new float[image.voxelCount()];
        java.util.Arrays.fill(vol, 2f);
        float[] win = plan.extract(vol, pw.window());
        Dims roi = Dims.of(ROI);
        assertEquals(0f, win[roi.index(0, 0, 0)]); // padding row j = -3
        assertEquals(2f, win[roi.index(0, 3, 0)]); // first image row
        assertEquals(0f, win[roi.index(0, 13, 0)]); // j = 10, past the image
    }

    @Test
    void clickAtCoordinateZeroIsDroppedByItsOwnWindowInParityOnly() {
        Dims image = new Dims(40, 40, 40);
        List<Click> clicks = List.of(new Click(0, 20, 20, 1));
        PointWindow parity = PointWindowPlan.of(image, ROI, clicks, 0, FidelityProfile.parity()).windows().get(0);
        assertFalse(parity.hasClicks(), "strict test: local 0 is outside, the window gets no click");
        PointWindow product = PointWindowPlan.of(image, ROI, clicks, 0, FidelityProfile.product()).windows().get(0);
        assertTrue(product.hasClicks());
    }

    @Test
    void everyClickFromPointStartOpensAWindowAndSeesAllClicks() {
        Dims image = new Dims(64, 64, 64);
        List<Click> clicks = List.of(new Click(10, 10, 10, 1), new Click(30, 30, 30, 0), new Click(0, 0, 0, -1),
                new Click(12, 12, 12, 1));
        PointWindowPlan parity = PointWindowPlan.of(image, ROI, clicks, 1, FidelityProfile.parity());
        assertEquals(List.of(1, 2, 3), parity.windows().stream().map(PointWindow::clickIndex).toList());
        // the window of click 3 ([4,20)^3) also uses click 0 (before pointStart): local 6 > 0
        assertEquals(List.of(new Click(6, 6, 6, 1), new Click(8, 8, 8, 1)), parity.windows().get(2).usedClicks());
        PointWindowPlan product = PointWindowPlan.of(image, ROI, clicks, 1, FidelityProfile.product());
        assertEquals(List.of(1, 3), product.windows().stream().map(PointWindow::clickIndex).toList());
    }

    @Test
    void extraWindowsWhenNotCentreOnly() {
        Dims image = new Dims(64, 64, 64);
        List<Click> clicks = List.of(new Click(30, 30, 30, 1));
        PointWindowPlan plan = PointWindowPlan.of(image, ROI, clicks, 0, FidelityProfile.parity(),
                new WindowSettings.PointWindowSettings(false, 5));
        assertEquals(27, plan.windows().size());
        // axis starts: max(0, 30-16+5)=19, min(64, 30+16-5)-16=25, centred 30-8=22
        assertEquals(new Window(0, 19, 19, 19, Dims.of(ROI)), plan.windows().get(0).window());
        assertEquals(new Window(26, 22, 22, 22, Dims.of(ROI)), plan.windows().get(26).window());
        assertEquals(new Window(13, 25, 25, 25, Dims.of(ROI)), plan.windows().get(13).window());
    }
}
