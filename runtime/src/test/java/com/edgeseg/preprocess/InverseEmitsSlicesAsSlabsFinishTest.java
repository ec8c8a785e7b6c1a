package com.edgeseg.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.volume.LabelSlab;
import com.edgeseg.volume.LabelVolume;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Network label slabs fed in stream order come back as original-grid slices as soon as the planes they draw on are
 * final; together they are voxel for voxel the whole-map inverse, and the first ones come before the last slab.
 */
class InverseEmitsSlicesAsSlabsFinishTest {
    @ParameterizedTest(name = "geometry seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void slabWiseInverseEqualsTheWholeInverse(int seed) {
        Random r = new Random(seed);
        Geometry g = Phantoms.geometry(new Dims(8 + r.nextInt(5), 6 + r.nextInt(5), 30 + r.nextInt(10)),
                Phantoms.random(r, 0.7, 2.5, seed == 5));
        GridPlan grid = GridPlan.streaming(g, PreprocessingSettings.bundleDefaults());
        Dims nd = grid.networkDims();
        byte[] labels = new byte[nd.voxelCount()];
        for (int v = 0; v < labels.length; v++) {
            labels[v] = (byte) r.nextInt(5);
        }
        LabelVolume net = LabelVolume.wrap(grid.networkGeometry(), labels);
        LabelVolume expected = grid.toOriginal(net);

        int axis = grid.streamOrder().axis();
        int n = nd.get(axis);
        Inverse inverse = new Inverse(grid);
        byte[] union = new byte[g.dims().voxelCount()];
        boolean[] seen = new boolean[g.dims().get(inverse.originalAxis())];
        int emittedBeforeLast = 0;
        int done = 0;
        while (done < n) {
            int planes = Math.min(n - done, 1 + r.nextInt(4));
            int first = grid.streamOrder().descending() ? n - done - planes : done;
            List<LabelSlab> out = inverse.accept(cut(net, axis, first, planes));
            done += planes;
            for (LabelSlab s : out) {
                assertEquals(inverse.originalAxis(), s.axis());
                for (int t = s.firstPlane(); t < s.firstPlane() + s.planes(); t++) {
                    assertFalse(seen[t], "slice " + t + " returned twice");
                    seen[t] = true;
                }
                s.copyInto(union, g.dims());
                if (done < n) {
                    emittedBeforeLast += s.planes();
                }
            }
        }
        assertTrue(inverse.complete());
        assertArrayEquals(expected.toArray(), union);
        assertArrayEquals(expected.toArray(), inverse.result().toArray());
        if (seed != 5) { // an oblique grid may need every plane for every slice
            assertTrue(emittedBeforeLast > 0, "slices are returned before the last slab");
        }
    }

    @ParameterizedTest(name = "plane {0}")
    @ValueSource(ints = {-1, 0})
    void planesOutsideTheGridOrTwiceAreRefused(int first) {
        Geometry g = Phantoms.geometry(new Dims(5, 5, 20), Phantoms.signedPermutation(new int[] {0, 1, 2},
                new int[] {1, 1, 1}, new double[] {1.5, 1.5, 1.5}, new double[] {0, 0, 0}));
        GridPlan grid = GridPlan.streaming(g, PreprocessingSettings.bundleDefaults());
        LabelVolume net = LabelVolume.wrap(grid.networkGeometry(), new byte[grid.networkDims().voxelCount()]);
        Inverse inverse = new Inverse(grid);
        int axis = grid.streamOrder().axis();
        if (first >= 0) {
            inverse.accept(cut(net, axis, first, 1));
        }
        int at = Math.max(first, 0);
        assertThrows(IllegalArgumentException.class, () -> inverse.accept(
                new LabelSlab(axis, first, cut(net, axis, at, 1).dims(), cut(net, axis, at, 1).labels())));
        assertThrows(IllegalStateException.class, inverse::result, "not complete yet");
    }

    /** Planes {@code first .. first + planes} of {@code map} along {@code axis}. */
    static LabelSlab cut(LabelVolume map, int axis, int first, int planes) {
        Dims d = map.dims();
        int[] size = d.toArray();
        size[axis] = planes;
        Dims sd = Dims.of(size);
        byte[] out = new byte[sd.voxelCount()];
        int p = 0;
        for (int i = 0; i < sd.n0(); i++) {
            for (int j = 0; j < sd.n1(); j++) {
                for (int k = 0; k < sd.n2(); k++) {
                    int[] at = {i, j, k};
                    at[axis] += first;
                    out[p++] = (byte) map.get(at[0], at[1], at[2]);
                }
            }
        }
        return new LabelSlab(axis, first, sd, out);
    }
}
