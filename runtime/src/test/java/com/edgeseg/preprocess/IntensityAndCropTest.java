package com.edgeseg.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.volume.Volume;
import org.junit.jupiter.api.Test;

/**
 * On a 1.5 mm RAS image (no resampling, no reorientation): the crop is the HU > 0 box ± 10 voxels clipped to
 * the image (§3.1 step 5), and intensities follow the float32 formula of §8 Q23, clipped to [0, 1].
 */
class IntensityAndCropTest {
    @Test
    void cropIsForegroundBoxPlusMarginClipped() {
        Geometry g = Geometry.of(new Dims(40, 30, 25), Affine.diagonal(1.5, 1.5, 1.5));
        Dims d = g.dims();
        Volume ct = Phantoms.filled(g, p -> {
            int i = p / (d.n1() * d.n2()), j = (p / d.n2()) % d.n1(), k = p % d.n2();
            return (i == 5 && j == 20 && k == 12) || (i == 18 && j == 27 && k == 3) ? 1 : -1000;
        });
        PreprocessedImage p = new Preprocessor(PreprocessingSettings.bundleDefaults()).preprocess(ct);
        CropBox b = p.cropBox();
        // axis 0: 5-10 -> 0 (clipped) .. 18+10 = 28 -> size 29; axis 1: 10 .. min(37, 29) -> size 20; axis 2: 0 .. 22 -> 23
        assertArrayEquals(new int[] {0, 10, 0}, new int[] {b.start().i(), b.start().j(), b.start().k()});
        assertArrayEquals(new int[] {29, 20, 23}, b.size().toArray());
        assertEquals(b.size(), p.image().dims());
    }

    @Test
    void intensityFollowsTheFloat32FormulaAndClips() {
        Geometry g = Geometry.of(new Dims(1, 1, 8), Affine.diagonal(1.5, 1.5, 1.5));
        float[] hu = {-2000f, -963.8247715525971f, -500.25f, 0.5f, 40f, 1053.678477684517f, 1053.7f, 3000f};
        PreprocessedImage p = new Preprocessor(PreprocessingSettings.bundleDefaults().withMargin(0)).preprocess(Volume.wrap(g, hu.clone()));
        assertEquals(new Dims(1, 1, 5), p.image().dims(), "crop keeps HU > 0 only (margin 0): indices 3..7");
        float aMin = (float) -963.8247715525971;
        float range = (float) (1053.678477684517 - -963.8247715525971);
        for (int k = 3; k < 8; k++) {
            float want = Math.min(1f, Math.max(0f, (hu[k] - aMin) / range));
            assertEquals(want, p.image().get(0, 0, k - 3), 0f, "HU " + hu[k]);
            double exact = Math.min(1, Math.max(0, (hu[k] + 963.8247715525971) / (1053.678477684517 + 963.8247715525971)));
            assertEquals(exact, p.image().get(0, 0, k - 3), 1e-6);
        }
        assertEquals(1f, p.image().get(0, 0, 4));
    }
}
