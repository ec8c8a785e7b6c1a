package com.edgeseg.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.volume.Volume;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Slices placed one by one, in any order, fill the streaming grid with exactly the values of preprocessing the
 * whole volume (resampling, scaling, orientation), and each network plane is reported once, as soon as the slices
 * it interpolates from are there.
 */
class SlabFillMatchesWholeVolumeTest {
    @ParameterizedTest(name = "geometry seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void anyArrivalOrderGivesTheWholeVolumeImage(int seed) {
        Random r = new Random(seed);
        Geometry g = Phantoms.geometry(new Dims(9 + r.nextInt(6), 7 + r.nextInt(6), 12 + r.nextInt(10)),
                Phantoms.random(r, 0.6, 2.4, seed % 3 == 0));
        Volume ct = Phantoms.randomHu(g, seed);
        // no crop (every voxel is foreground, margin 0): the reference grid equals the streaming grid
        PreprocessingSettings s = Phantoms.identityIntensity(new double[] {1.5, 1.5, 1.5}, -1e9, 0);
        PreprocessedImage whole = new Preprocessor(s, FidelityProfile.Lattice.REFERENCE).preprocess(ct);

        GridPlan grid = GridPlan.streaming(g, s);
        assertEquals(whole.image().dims(), grid.networkDims());
        SlabFill fill = new SlabFill(grid, s);
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < g.dims().n2(); k++) {
            order.add(k);
        }
        Collections.shuffle(order, r);
        int[] reported = new int[grid.networkDims().get(fill.sliceAxis())];
        for (int k : order) {
            for (int p : fill.accept(k, slice(ct, k))) {
                reported[p]++;
            }
        }
        assertTrue(fill.complete());
        for (int count : reported) {
            assertEquals(1, count, "every network plane is reported exactly once");
        }
        assertArrayEquals(whole.image().toArray(), fill.image().toArray(), "bit for bit");
        assertEquals(grid.streamOrder().axis(), fill.sliceAxis(), "planes complete along the stream axis");
    }

    @ParameterizedTest(name = "descending {0}")
    @ValueSource(booleans = {false, true})
    void slicesInScannerOrderCompletePlanesBeforeTheSeriesEnds(boolean feetFirst) {
        Geometry g = Phantoms.geometry(new Dims(6, 5, 40), Phantoms.signedPermutation(new int[] {0, 1, 2},
                new int[] {1, 1, feetFirst ? -1 : 1}, new double[] {1.5, 1.5, 1.0}, new double[] {0, 0, 0}));
        Volume ct = Phantoms.randomHu(g, 7);
        PreprocessingSettings s = PreprocessingSettings.bundleDefaults();
        GridPlan grid = GridPlan.streaming(g, s);
        assertEquals(feetFirst, grid.streamOrder().descending(), "a flipped slice axis streams from its last plane");
        SlabFill fill = new SlabFill(grid, s);
        int firstReportAt = -1;
        for (int k = 0; k < 40; k++) {
            if (fill.accept(k, slice(ct, k)).length > 0 && firstReportAt < 0) {
                firstReportAt = k;
            }
        }
        assertTrue(firstReportAt >= 0 && firstReportAt < 3, "the first plane needs only the first slices, got " + firstReportAt);
    }

    @ParameterizedTest(name = "slice {0}")
    @ValueSource(ints = {-1, 3})
    void slicesOutsideTheSeriesOrTwiceAreRefused(int k) {
        Geometry g = Phantoms.geometry(new Dims(4, 4, 3), Phantoms.signedPermutation(new int[] {0, 1, 2},
                new int[] {1, 1, 1}, new double[] {1.5, 1.5, 1.5}, new double[] {0, 0, 0}));
        SlabFill fill = new SlabFill(GridPlan.streaming(g, PreprocessingSettings.bundleDefaults()),
                PreprocessingSettings.bundleDefaults());
        assertThrows(IllegalArgumentException.class, () -> fill.accept(k, new float[16]));
        fill.accept(0, new float[16]);
        assertThrows(IllegalArgumentException.class, () -> fill.accept(0, new float[16]), "a duplicate slice");
        assertThrows(IllegalArgumentException.class, () -> fill.accept(1, new float[15]), "a wrong size");
    }

    static float[] slice(Volume ct, int k) {
        Dims d = ct.dims();
        float[] s = new float[d.n0() * d.n1()];
        for (int i = 0; i < d.n0(); i++) {
            for (int j = 0; j < d.n1(); j++) {
                s[i * d.n1() + j] = ct.get(i, j, k);
            }
        }
        return s;
    }
}
