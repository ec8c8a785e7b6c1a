package com.edgeseg.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.ContinuousIndex;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.volume.Volume;
import org.junit.jupiter.api.Test;

/**
 * For all 48 axis permutations and flips at 1.5 mm (nothing resampled): the network axes point R, A, S, every
 * network voxel holds the scaled value of the original voxel at the same world position, and M maps integer
 * original indices to integer network indices.
 */
class OrientationPreservesWorldPositionsTest {
    @Test
    void everySignedPermutationEndsInRasWithValuesInPlace() {
        int[][] perms = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
        PreprocessingSettings s = Phantoms.identityIntensity(new double[] {1.5, 1.5, 1.5}, -1e9, 0);
        int cases = 0;
        for (int[] perm : perms) {
            for (int signs = 0; signs < 8; signs++) {
                int[] sign = {(signs & 1) == 0 ? 1 : -1, (signs & 2) == 0 ? 1 : -1, (signs & 4) == 0 ? 1 : -1};
                Affine a = Phantoms.signedPermutation(perm, sign, new double[] {1.5, 1.5, 1.5}, new double[] {7, -8, 9});
                Geometry g = Geometry.of(new Dims(5, 4, 3), a);
                Volume ct = Phantoms.randomHu(g, cases);
                PreprocessedImage p = new Preprocessor(s).preprocess(ct);
                Affine net = p.networkGeometry().indexToWorld();
                for (int r = 0; r < 3; r++) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(r == c ? 1.5 : 0.0, net.get(r, c), 1e-12, "RAS axes for perm/sign " + cases);
                    }
                }
                Dims nd = p.image().dims();
                for (int i = 0; i < nd.n0(); i++) {
                    for (int j = 0; j < nd.n1(); j++) {
                        for (int k = 0; k < nd.n2(); k++) {
                            ContinuousIndex o = p.toOriginal(new ContinuousIndex(i, j, k));
                            int oi = (int) Math.round(o.i()), oj = (int) Math.round(o.j()), ok = (int) Math.round(o.k());
                            assertTrue(Math.abs(o.i() - oi) < 1e-9 && Math.abs(o.j() - oj) < 1e-9 && Math.abs(o.k() - ok) < 1e-9);
                            assertEquals(ct.get(oi, oj, ok), p.image().get(i, j, k), 0f);
                            double[] w1 = net.apply(i, j, k);
                            double[] w2 = a.apply(oi, oj, ok);
                            for (int ax = 0; ax < 3; ax++) {
                                assertEquals(w2[ax], w1[ax], 1e-9);
                            }
                        }
                    }
                }
                cases++;
            }
        }
        assertEquals(48, cases);
    }
}
