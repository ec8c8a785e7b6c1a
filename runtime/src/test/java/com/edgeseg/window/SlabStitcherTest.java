package com.edgeseg.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.geometry.Dims;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Slab-wise blending equals a naive full-volume accumulator, bit for bit, and emits early. */
class SlabStitcherTest {
    @ParameterizedTest(name = "{0}x{1}x{2} overlap {3} {4}")
    @CsvSource({"70,37,20,0.25,CONSTANT", "70,37,20,0.625,GAUSSIAN", "10,40,33,0.25,GAUSSIAN", "33,16,16,0.5,CONSTANT"})
    void equalsNaiveAccumulator(int n0, int n1, int n2, double overlap, WindowSettings.Blend blend) {
        Dims image = new Dims(n0, n1, n2);
        WindowSettings s = new WindowSettings(new Dims(16, 16, 16), overlap, blend, 0.125,
                WindowSettings.Padding.CONSTANT, 0f, new WindowSettings.PointWindowSettings(true, 5));
        SlidingWindowPlan plan = SlidingWindowPlan.of(image, s);
        int channels = 3;
        SplittableRandom rnd = new SplittableRandom(n0 * 31L + n2);
        List<float[]> outputs = new ArrayList<>();
        for (int w = 0; w < plan.windows().size(); w++) {
            float[] o = new float[channels * 16 * 16 * 16];
            for (int i = 0; i < o.length; i++) {
                o[i] = (float) (rnd.nextDouble() * 20 - 10);
            }
            outputs.add(o);
        }
        float[][] naive = naive(plan, outputs, channels);

        float[][] got = new float[channels][image.voxelCount()];
        List<Slab> slabs = new ArrayList<>();
        int[] firstEmitAfter = {-1};
        int[] fed = {0};
        SlabStitcher st = new SlabStitcher(plan, channels, slab -> {
            slabs.add(slab);
            if (firstEmitAfter[0] < 0) {
                firstEmitAfter[0] = fed[0];
            }
            for (int c = 0; c < channels; c++) {
                System.arraycopy(slab.channels()[c], 0, got[c], slab.firstPlane() * n1 * n2, slab.channels()[c].length);
            }
        });
        for (Window w : plan.windows()) {
            fed[0]++;
            st.add(w, outputs.get(w.index()));
        }
        assertTrue(st.finished());
        int next = 0;
        for (Slab slab : slabs) {
            assertEquals(next, slab.firstPlane(), "slabs are contiguous and in order");
            next += slab.dims().n0();
        }
        assertEquals(n0, next);
        for (int c = 0; c < channels; c++) {
            assertArrayEquals(naive[c], got[c]);
        }
        if (plan.starts(0).length > 1) {
            assertTrue(firstEmitAfter[0] < plan.windows().size(), "a slab is emitted before the last window");
        }
    }

    @ParameterizedTest(name = "axis {0} descending {1}")
    @CsvSource({"0,false", "0,true", "1,false", "1,true", "2,false", "2,true"})
    void streamingOrdersEqualTheNaiveAccumulator(int axis, boolean descending) {
        Dims image = new Dims(21, 35, 44);
        WindowSettings s = new WindowSettings(new Dims(16, 16, 16), 0.25, WindowSettings.Blend.GAUSSIAN, 0.125,
                WindowSettings.Padding.CONSTANT, 0f, new WindowSettings.PointWindowSettings(true, 5));
        SlidingWindowPlan plan = SlidingWindowPlan.streaming(image, s, new StreamOrder(axis, descending));
        int channels = 2;
        SplittableRandom rnd = new SplittableRandom(axis * 7L + (descending ? 1 : 0));
        List<float[]> outputs = new ArrayList<>();
        for (int w = 0; w < plan.windows().size(); w++) {
            float[] o = new float[channels * 16 * 16 * 16];
            for (int i = 0; i < o.length; i++) {
                o[i] = (float) (rnd.nextDouble() * 20 - 10);
            }
            outputs.add(o);
        }
        float[][] naive = naive(plan, outputs, channels);
        float[][] got = new float[channels][image.voxelCount()];
        List<Slab> slabs = new ArrayList<>();
        int[] fed = {0};
        int[] firstEmitAfter = {-1};
        SlabStitcher st = new SlabStitcher(plan, channels, slab -> {
            slabs.add(slab);
            if (firstEmitAfter[0] < 0) {
                firstEmitAfter[0] = fed[0];
            }
            for (int c = 0; c < channels; c++) {
                slab.copyInto(c, got[c], image);
            }
        });
        for (Window w : plan.windows()) {
            fed[0]++;
            st.add(w, outputs.get(w.index()));
        }
        int n = image.get(axis);
        int next = descending ? n : 0;
        for (Slab slab : slabs) {
            assertEquals(axis, slab.axis());
            if (descending) {
                assertEquals(next, slab.firstPlane() + slab.planes(), "slabs are contiguous, in stream order");
                next = slab.firstPlane();
            } else {
                assertEquals(next, slab.firstPlane(), "slabs are contiguous, in stream order");
                next += slab.planes();
            }
        }
        assertEquals(descending ? 0 : n, next);
        for (int c = 0; c < channels; c++) {
            assertArrayEquals(naive[c], got[c]);
        }
        assertTrue(firstEmitAfter[0] < plan.windows().size(), "a slab is emitted before the last window");
    }

    @Test
    void windowsOutOfOrderAreRejected() {
        SlidingWindowPlan plan = SlidingWindowPlan.of(new Dims(40, 16, 16), WindowSettings.bundleDefaults()
                .withRoi(new Dims(16, 16, 16)));
        SlabStitcher st = new SlabStitcher(plan, 1, s -> { });
        assertThrows(IllegalStateException.class, () -> st.add(plan.windows().get(1), new float[16 * 16 * 16]));
    }

    private static float[][] naive(SlidingWindowPlan plan, List<float[]> outputs, int channels) {
        Dims image = plan.image();
        float[] w = BlendWeights.of(plan.settings());
        float[][] acc = new float[channels][image.voxelCount()];
        float[] cnt = new float[image.voxelCount()];
        Dims roi = plan.roi();
        for (Window win : plan.windows()) {
            float[] o = outputs.get(win.index());
            for (int a = 0; a < roi.n0(); a++) {
                for (int b = 0; b < roi.n1(); b++) {
                    for (int c = 0; c < roi.n2(); c++) {
                        int i = win.o0() + a;
                        int j = win.o1() + b;
                        int k = win.o2() + c;
                        if (!image.contains(i, j, k)) {
                            continue;
                        }
                        int r = roi.index(a, b, c);
                        int v = image.index(i, j, k);
                        cnt[v] += w[r];
                        for (int ch = 0; ch < channels; ch++) {
                            acc[ch][v] += w[r] * o[ch * roi.voxelCount() + r];
                        }
                    }
                }
            }
        }
        for (int ch = 0; ch < channels; ch++) {
            for (int v = 0; v < cnt.length; v++) {
                acc[ch][v] /= cnt[v];
            }
        }
        return acc;
    }
}
