package com.edgeseg.preprocess;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.volume.Volume;
import org.junit.jupiter.api.Test;

/** Images the pipeline must refuse fail with typed exceptions whose messages say what was wrong and what was expected. */
class PreprocessingInputErrorsTest {
    private final Preprocessor pre = new Preprocessor(PreprocessingSettings.bundleDefaults());
    private final Geometry g = Geometry.of(new Dims(6, 5, 4), Affine.diagonal(1.5, 1.5, 1.5));

    @Test
    void nanAndInfinityAreCountedAndLocated() {
        float[] v = new float[120];
        java.util.Arrays.fill(v, 40f);
        v[g.dims().index(2, 3, 1)] = Float.NaN;
        v[g.dims().index(4, 0, 0)] = Float.POSITIVE_INFINITY;
        v[g.dims().index(5, 4, 3)] = Float.NaN;
        String m = assertThrows(InvalidImageException.class, () -> pre.preprocess(Volume.wrap(g, v))).getMessage();
        assertTrue(m.startsWith("3 of 120 voxels are NaN or infinite") && m.contains("(2, 3, 1)"), m);
    }

    @Test
    void shearedDirectionsAreRefusedNotDropped() {
        // columns 0 and 1 at cosine 0.01: MONAI would silently drop this shear when resampling
        Affine sheared = Affine.of(new double[] {1.5, 0.015, 0, 0, 1.5, 0, 0, 0, 1.5}, new double[] {0, 0, 0});
        Volume ct = Phantoms.constant(Geometry.of(new Dims(6, 5, 4), sheared), 40f);
        String m = assertThrows(InvalidImageException.class, () -> pre.preprocess(ct)).getMessage();
        assertTrue(m.contains("not orthogonal") && m.contains("sheared"), m);
        // float32 noise on an oblique affine (cosine ~1e-8) is accepted
        Affine noisy = Affine.of(new double[] {1.5, 1.5e-8, 0, 0, 1.5, 0, 0, 0, 1.5}, new double[] {0, 0, 0});
        pre.preprocess(Phantoms.constant(Geometry.of(new Dims(6, 5, 4), noisy), 40f));
    }

    @Test
    void singularAffineIsRefused() {
        Affine flat = Affine.of(new double[] {1.5, 0, 0, 0, 1.5, 0, 0, 0, 0}, new double[] {0, 0, 0});
        String m = assertThrows(InvalidImageException.class, () -> pre.preprocess(Phantoms.constant(Geometry.of(new Dims(6, 5, 4), flat), 40f))).getMessage();
        assertTrue(m.contains("column 2") && m.contains("positive voxel spacing"), m);
    }

    @Test
    void noVoxelAboveThresholdIsEmptyForeground() {
        // all air: the reference would crop to 0x0x0 and silently return background (§8 Q17)
        String m = assertThrows(EmptyForegroundException.class, () -> pre.preprocess(Phantoms.constant(g, -1000f))).getMessage();
        assertTrue(m.contains("above the foreground threshold 0.0") && m.contains("-1000"), m);
        // exactly 0 HU is not foreground (strictly greater)
        assertThrows(EmptyForegroundException.class, () -> pre.preprocess(Phantoms.constant(g, 0f)));
    }

    @Test
    void labelMapsOnTheWrongGridAreRefused() {
        PreprocessedImage p = pre.preprocess(Phantoms.constant(g, 40f));
        LabelVolume wrong = LabelVolume.wrap(Geometry.of(new Dims(6, 5, 3), g.indexToWorld()), new byte[90]);
        assertThrows(InvalidImageException.class, () -> p.toOriginal(wrong));
        assertThrows(InvalidImageException.class, () -> p.toNetwork(wrong));
        LabelVolume shifted = LabelVolume.wrap(Geometry.of(g.dims(), Affine.translation(3, 0, 0).multiply(g.indexToWorld())), new byte[120]);
        String m = assertThrows(InvalidImageException.class, () -> p.toNetwork(shifted)).getMessage();
        assertTrue(m.contains("expected a mask on the image's grid"), m);
    }
}
