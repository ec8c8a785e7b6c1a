package com.edgeseg.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.edgeseg.geometry.Dims;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The dense grid reproduces the measured window-start table of §4.1 (roi 128). */
class SlidingWindowStartsTest {
    @ParameterizedTest(name = "S={0} overlap={1}")
    @CsvSource(delimiter = ';', value = {
            "128; 0.25; 0", "129; 0.25; 0 1", "200; 0.25; 0 72", "256; 0.25; 0 96 128", "300; 0.25; 0 96 172",
            "333; 0.25; 0 96 192 205", "500; 0.25; 0 96 192 288 372",
            "128; 0.3; 0", "129; 0.3; 0 1", "200; 0.3; 0 72", "256; 0.3; 0 89 128", "300; 0.3; 0 89 172",
            "333; 0.3; 0 89 178 205", "500; 0.3; 0 89 178 267 356 372",
            "128; 0.625; 0", "129; 0.625; 0 1", "200; 0.625; 0 48 72", "256; 0.625; 0 48 96 128",
            "300; 0.625; 0 48 96 144 172", "333; 0.625; 0 48 96 144 192 205",
            "500; 0.625; 0 48 96 144 192 240 288 336 372"})
    void startsMatchTheMeasuredTable(int size, double overlap, String expected) {
        int[] want = java.util.Arrays.stream(expected.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
        assertArrayEquals(want, SlidingWindowPlan.axisStarts(size, 128, overlap));
    }

    @Test
    void smallAxesArePaddedAroundTheImageAndGetOneWindow() {
        WindowSettings s = WindowSettings.bundleDefaults();
        SlidingWindowPlan plan = SlidingWindowPlan.of(new Dims(100, 129, 27), s);
        // (128 - 100) // 2 = 14 before; (128 - 27) // 2 = 50 before
        assertArrayEquals(new int[] {14, 0, 50}, plan.padBefore());
        assertArrayEquals(new int[] {0}, plan.starts(0));
        assertArrayEquals(new int[] {0, 1}, plan.starts(1));
        assertEquals(2, plan.windows().size());
        Window second = plan.windows().get(1);
        assertEquals(-14, second.o0());
        assertEquals(1, second.o1());
        assertEquals(-50, second.o2());
    }

    @Test
    void windowsAreInCOrderAxisZeroSlowest() {
        SlidingWindowPlan plan = SlidingWindowPlan.of(new Dims(200, 200, 256),
                WindowSettings.bundleDefaults());
        int[][] expect = {{0, 0, 0}, {0, 0, 96}, {0, 0, 128}, {0, 72, 0}, {0, 72, 96}, {0, 72, 128},
                {72, 0, 0}, {72, 0, 96}, {72, 0, 128}, {72, 72, 0}, {72, 72, 96}, {72, 72, 128}};
        assertEquals(expect.length, plan.windows().size());
        for (int i = 0; i < expect.length; i++) {
            Window w = plan.windows().get(i);
            assertEquals(i, w.index());
            assertArrayEquals(expect[i], new int[] {w.o0(), w.o1(), w.o2()});
        }
    }
}
