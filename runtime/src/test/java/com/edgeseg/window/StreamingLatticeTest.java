package com.edgeseg.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.Dims;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streaming lattice never depends on slices not yet seen: along the stream axis its windows start at the
 * series' first slice with the reference's stride, only the last one depends on where the series ends, and windows
 * run in slice order.
 */
class StreamingLatticeTest {
    private static final WindowSettings S = WindowSettings.bundleDefaults().withRoi(new Dims(16, 16, 16));

    @ParameterizedTest(name = "descending {0}")
    @ValueSource(booleans = {false, true})
    void windowsBeforeTheLastDoNotDependOnTheSeriesLength(boolean descending) {
        StreamOrder order = new StreamOrder(2, descending);
        for (int shorter = 17; shorter < 60; shorter++) {
            SlidingWindowPlan a = SlidingWindowPlan.streaming(new Dims(20, 18, shorter), S, order);
            SlidingWindowPlan b = SlidingWindowPlan.streaming(new Dims(20, 18, shorter + 23), S, order);
            int[] sa = fromSeriesStart(a, shorter);
            int[] sb = fromSeriesStart(b, shorter + 23);
            for (int i = 0; i < sa.length - 1; i++) {
                assertEquals(sb[i], sa[i], "window " + i + " of a " + shorter + "-slice series");
            }
            assertEquals(shorter - 16, sa[sa.length - 1], "the last window is aligned to the series' end");
            assertEquals(0, sa[0], "anchored on the first slice");
            for (int i = 1; i < sa.length - 1; i++) {
                assertEquals(i * 12, sa[i], "the reference's stride (roi 16, overlap 0.25)");
            }
        }
    }

    @Test
    void windowsRunInSliceOrderAndCoverTheImage() {
        Dims image = new Dims(20, 40, 50);
        for (int axis = 0; axis < 3; axis++) {
            for (boolean descending : new boolean[] {false, true}) {
                SlidingWindowPlan p = SlidingWindowPlan.streaming(image, S, new StreamOrder(axis, descending));
                List<Window> w = p.windows();
                for (int i = 1; i < w.size(); i++) {
                    int prev = w.get(i - 1).origin(axis);
                    int cur = w.get(i).origin(axis);
                    assertTrue(descending ? cur <= prev : cur >= prev, "slice order along axis " + axis);
                }
                boolean[] covered = new boolean[image.voxelCount()];
                for (Window win : w) {
                    for (int i = Math.max(0, win.o0()); i < Math.min(image.n0(), win.end(0)); i++) {
                        for (int j = Math.max(0, win.o1()); j < Math.min(image.n1(), win.end(1)); j++) {
                            for (int k = Math.max(0, win.o2()); k < Math.min(image.n2(), win.end(2)); k++) {
                                covered[image.index(i, j, k)] = true;
                            }
                        }
                    }
                }
                for (boolean c : covered) {
                    assertTrue(c);
                }
            }
        }
    }

    @Test
    void aShortSeriesIsPaddedAtItsEndAndTheReferenceCentresIt() {
        Dims image = new Dims(16, 16, 10);
        Window asc = SlidingWindowPlan.streaming(image, S, new StreamOrder(2, false)).windows().get(0);
        Window desc = SlidingWindowPlan.streaming(image, S, new StreamOrder(2, true)).windows().get(0);
        Window ref = SlidingWindowPlan.of(image, S).windows().get(0);
        assertEquals(0, asc.o2(), "first slice at window plane 0, padding after the last");
        assertEquals(10, desc.end(2), "first slice (the axis' last plane) at the window's last plane");
        assertEquals(-3, ref.o2(), "the reference pads (16 - 10) // 2 before");
    }

    @Test
    void theProfileChoosesTheLattice() {
        Dims image = new Dims(40, 40, 40);
        StreamOrder order = new StreamOrder(2, true);
        assertEquals(SlidingWindowPlan.of(image, S).windows(),
                SlidingWindowPlan.of(image, S, FidelityProfile.parity().lattice(), order).windows());
        assertEquals(StreamOrder.REFERENCE,
                SlidingWindowPlan.of(image, S, FidelityProfile.parity().lattice(), order).order());
        assertEquals(order, SlidingWindowPlan.of(image, S, FidelityProfile.product().lattice(), order).order());
    }

    /** Distinct stream-axis starts in run order, counted from the series' first slice. */
    private static int[] fromSeriesStart(SlidingWindowPlan p, int n) {
        return p.windows().stream()
                .mapToInt(w -> p.order().descending() ? n - w.end(2) : w.o2())
                .distinct().toArray();
    }

    @Test
    void windowKeysIgnoreThePlanIndex() {
        Window a = new Window(3, 1, 2, 3, new Dims(16, 16, 16));
        Window b = new Window(7, 1, 2, 3, new Dims(16, 16, 16));
        assertEquals(a.key(), b.key());
        assertArrayEquals(new int[] {1, 2, 3}, new int[] {a.key().o0(), a.key().o1(), a.key().o2()});
    }
}
