package com.edgeseg.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.ContinuousIndex;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.volume.Volume;
import org.junit.jupiter.api.Test;

/**
 * The measured example of §3.1 "Point transform": an LPS-stored 120×100×40 image at (0.8, 0.8, 2.5) mm goes
 * to 64×54×66 after spacing, is cropped to 31×31×37 and flipped to RAS, and clicks map with
 * M = diag(−0.5333, −0.5333, 1.6667) and offset (41, 36, −14). The phantom's foreground box is chosen so
 * that the resampled HU > 0 box is exactly [21..31]×[16..26]×[24..40] (margin 10 gives that crop).
 */
class LpsExampleMappingTest {
    private static PreprocessedImage preprocessed() {
        Geometry g = Geometry.of(new Dims(120, 100, 40), Affine.of(new double[] {-0.8, 0, 0, 0, -0.8, 0, 0, 0, 2.5}, new double[] {47.6, 39.6, -48.75}));
        Dims d = g.dims();
        float[] v = new float[d.voxelCount()];
        for (int i = 0; i < 120; i++) {
            for (int j = 0; j < 100; j++) {
                for (int k = 0; k < 40; k++) {
                    boolean in = i >= 39 && i <= 59 && j >= 29 && j <= 49 && k >= 14 && k <= 24;
                    v[d.index(i, j, k)] = in ? 100 : -1000;
                }
            }
        }
        return new Preprocessor(PreprocessingSettings.bundleDefaults()).preprocess(Volume.wrap(g, v));
    }

    @Test
    void gridsCropAndMatrixAsMeasured() {
        PreprocessedImage p = preprocessed();
        assertArrayEquals(new int[] {64, 54, 66}, p.resampledDims().toArray());
        assertArrayEquals(new int[] {11, 6, 14}, new int[] {p.cropBox().start().i(), p.cropBox().start().j(), p.cropBox().start().k()});
        assertArrayEquals(new int[] {31, 31, 37}, p.cropBox().size().toArray());
        assertArrayEquals(new int[] {31, 31, 37}, p.image().dims().toArray());
        Affine m = p.networkFromOriginal();
        double[] expected = {
            -0.8 / 1.5, 0, 0, 41,
            0, -0.8 / 1.5, 0, 36,
            0, 0, 2.5 / 1.5, -14,
            0, 0, 0, 1};
        assertTrue(m.approximatelyEquals(Affine.of(expected), 1e-9), "M = " + m);
        // network axes point R, A, S with 1.5 mm spacing
        Affine net = p.networkGeometry().indexToWorld();
        assertTrue(net.approximatelyEquals(Affine.of(new double[] {1.5, 0, 0, 0, 1.5, 0, 0, 0, 1.5},
                new double[] {net.get(0, 3), net.get(1, 3), net.get(2, 3)}), 1e-9), net.toString());
    }

    @Test
    void clicksMapThroughMWithoutRounding() {
        PreprocessedImage p = preprocessed();
        ContinuousIndex c = p.toNetwork(new ContinuousIndex(50, 40, 20));
        assertEquals(41 - 50 * 0.8 / 1.5, c.i(), 1e-9);
        assertEquals(36 - 40 * 0.8 / 1.5, c.j(), 1e-9);
        assertEquals(20 * 2.5 / 1.5 - 14, c.k(), 1e-9);
        ContinuousIndex back = p.toOriginal(c);
        assertEquals(50, back.i(), 1e-9);
        assertEquals(40, back.j(), 1e-9);
        assertEquals(20, back.k(), 1e-9);
        // a click outside the crop maps outside the network grid (negative), not clamped
        assertTrue(p.toNetwork(new ContinuousIndex(119, 0, 0)).i() < 0);
    }

    @Test
    void foregroundIsInsideAndBackgroundOutside() {
        PreprocessedImage p = preprocessed();
        Volume img = p.image();
        // crop box + margin: the foreground occupies network voxels 10..20 on axes 0 and 1 (flipped) and 10..26 on axis 2
        assertEquals(1.0f, img.get(15, 15, 18) > 0.4f ? 1.0f : 0f);
        float bg = (float) ((-1000 - -963.8247715525971) / (1053.678477684517 - -963.8247715525971));
        assertEquals(0f, img.get(0, 0, 0), "HU -1000 is below a_min: clipped to 0 (" + bg + ")");
    }
}
