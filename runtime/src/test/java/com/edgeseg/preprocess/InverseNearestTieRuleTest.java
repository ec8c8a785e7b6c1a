package com.edgeseg.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.volume.LabelVolume;
import org.junit.jupiter.api.Test;

/**
 * §8 Q22 product rule: when an original voxel centre falls exactly half-way between two resampled voxels
 * (0.75 mm -> 1.5 mm: q = i/2), the inverse takes the even one, decided from the geometry rather than from
 * float noise — on every axis and whatever the storage direction.
 */
class InverseNearestTieRuleTest {
    @Test
    void halfIntegerSourcesRoundToEven() {
        for (double sign : new double[] {1, -1}) {
            Geometry g = Geometry.of(new Dims(20, 20, 3), Affine.diagonal(0.75 * sign, 0.75, 1.5));
            PreprocessedImage p = new Preprocessor(PreprocessingSettings.bundleDefaults()).preprocess(Phantoms.constant(g, 40f));
            Dims nd = p.image().dims();
            byte[] ids = new byte[nd.voxelCount()];
            // label = resampled index along original axis 0 (+1), whatever the network orientation did with it
            for (int i = 0; i < nd.n0(); i++) {
                for (int j = 0; j < nd.n1(); j++) {
                    for (int k = 0; k < nd.n2(); k++) {
                        int s = (int) Math.round(p.toOriginal(new com.edgeseg.geometry.ContinuousIndex(i, j, k)).i() / 2);
                        ids[nd.index(i, j, k)] = (byte) (s + 1);
                    }
                }
            }
            LabelVolume back = p.toOriginal(LabelVolume.wrap(p.networkGeometry(), ids));
            int[] got = new int[20];
            for (int i = 0; i < 20; i++) {
                got[i] = back.get(i, 7, 1) - 1;
            }
            // i/2 rounded half to even: 0, 0.5->0, 1, 1.5->2, 2, 2.5->2, 3, 3.5->4, ...
            assertArrayEquals(new int[] {0, 0, 1, 2, 2, 2, 3, 4, 4, 4, 5, 6, 6, 6, 7, 8, 8, 8, 9, 9}, got, "sign " + sign);
        }
    }
}
