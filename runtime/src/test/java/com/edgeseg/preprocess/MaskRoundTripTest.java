package com.edgeseg.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.ContinuousIndex;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.geometry.VoxelIndex;
import com.edgeseg.io.nifti.NiftiReader;
import com.edgeseg.testing.Python;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.volume.Volume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Label maps move between the original and the network grid without loss wherever the nearest-neighbour maps
 * are inverse to each other: identity when nothing is resampled (inside the crop; outside it the inverse pads
 * 0), toOriginal∘toNetwork = id when the network grid is finer (original spacing ≥ 1.5 mm), and
 * toNetwork∘toOriginal = id on network voxels inside the original extent when it is coarser.
 */
class MaskRoundTripTest {
    private static LabelVolume randomLabels(Geometry g, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[g.dims().voxelCount()];
        for (int p = 0; p < b.length; p++) {
            b[p] = (byte) r.nextInt(256);
        }
        return LabelVolume.wrap(g, b);
    }

    @Test
    void withoutResamplingTheRoundTripIsTheIdentityInsideTheCropAndZeroOutside() {
        // 1.5 mm, stored L-P-S with permuted axes: orientation permutes and flips, nothing is interpolated
        Affine a = Phantoms.signedPermutation(new int[] {2, 0, 1}, new int[] {1, -1, -1}, new double[] {1.5, 1.5, 1.5}, new double[] {3, 4, 5});
        Geometry g = Geometry.of(new Dims(30, 26, 22), a);
        Dims d = g.dims();
        // foreground block 12..17 x 8..13 x 9..12 -> crop = block +/- 10 clipped
        Volume ct = Phantoms.filled(g, p -> {
            int i = p / (d.n1() * d.n2()), j = (p / d.n2()) % d.n1(), k = p % d.n2();
            return (i >= 12 && i <= 17 && j >= 8 && j <= 13 && k >= 9 && k <= 12) ? 50 : -800;
        });
        PreprocessedImage p = new Preprocessor(PreprocessingSettings.bundleDefaults()).preprocess(ct);
        assertFalse(p.resampled());
        CropBox box = p.cropBox();
        assertArrayEquals(new int[] {2, 0, 0}, new int[] {box.start().i(), box.start().j(), box.start().k()});
        assertArrayEquals(new int[] {26, 24, 22}, box.size().toArray());
        LabelVolume x = randomLabels(g, 11);
        LabelVolume net = p.toNetwork(x);
        LabelVolume back = p.toOriginal(net);
        for (int i = 0; i < d.n0(); i++) {
            for (int j = 0; j < d.n1(); j++) {
                for (int k = 0; k < d.n2(); k++) {
                    int want = box.contains(i, j, k) ? x.get(i, j, k) : 0;
                    assertEquals(want, back.get(i, j, k), "voxel " + i + "," + j + "," + k);
                }
            }
        }
        assertEquals(g, back.geometry());
    }

    @Test
    void finerNetworkGridRoundTripsOriginalLabelsExactly() {
        Random r = new Random(5);
        for (int trial = 0; trial < 25; trial++) {
            Affine a = Phantoms.random(r, 1.5, 4.5, trial % 4 == 0);
            Geometry g = Geometry.of(new Dims(4 + r.nextInt(14), 4 + r.nextInt(14), 4 + r.nextInt(14)), a);
            PreprocessedImage p = new Preprocessor(PreprocessingSettings.bundleDefaults()).preprocess(Phantoms.constant(g, 40f));
            LabelVolume x = randomLabels(g, trial);
            LabelVolume back = p.toOriginal(p.toNetwork(x));
            assertArrayEquals(x.toArray(), back.toArray(), "trial " + trial + " " + g);
        }
    }

    @Test
    void coarserNetworkGridRoundTripsNetworkLabelsInsideTheOriginalExtent() {
        Random r = new Random(6);
        int checked = 0;
        for (int trial = 0; trial < 25; trial++) {
            Affine a = Phantoms.random(r, 0.4, 1.49, trial % 4 == 0);
            Geometry g = Geometry.of(new Dims(6 + r.nextInt(30), 6 + r.nextInt(30), 6 + r.nextInt(30)), a);
            PreprocessedImage p = new Preprocessor(PreprocessingSettings.bundleDefaults()).preprocess(Phantoms.constant(g, 40f));
            Geometry ng = p.networkGeometry();
            LabelVolume y = randomLabels(ng, 100 + trial);
            LabelVolume again = p.toNetwork(p.toOriginal(y));
            Dims nd = ng.dims();
            for (int i = 0; i < nd.n0(); i++) {
                for (int j = 0; j < nd.n1(); j++) {
                    for (int k = 0; k < nd.n2(); k++) {
                        ContinuousIndex q = p.toOriginal(new ContinuousIndex(i, j, k));
                        boolean inside = true;
                        for (int ax = 0; ax < 3; ax++) {
                            inside &= q.get(ax) >= -0.5 + 1e-6 && q.get(ax) <= g.dims().get(ax) - 0.5 - 1e-6;
                        }
                        if (inside) {
                            assertEquals(y.get(i, j, k), again.get(i, j, k), "trial " + trial + " voxel " + i + "," + j + "," + k);
                            checked++;
                        }
                    }
                }
            }
        }
        assertTrue(checked > 10000, "checked " + checked);
    }

    @Test
    void regionMappingEqualsTheFullInverse() {
        Affine a = Phantoms.signedPermutation(new int[] {0, 1, 2}, new int[] {-1, -1, 1}, new double[] {0.9, 0.9, 2.5}, new double[] {0, 0, 0});
        Geometry g = Geometry.of(new Dims(25, 22, 12), a);
        PreprocessedImage p = new Preprocessor(PreprocessingSettings.bundleDefaults()).preprocess(Phantoms.randomHu(g, 3));
        LabelVolume y = randomLabels(p.networkGeometry(), 9);
        LabelVolume full = p.toOriginal(y);
        byte[] slab = p.toOriginalRegion(y, new VoxelIndex(0, 0, 4), new Dims(25, 22, 3));
        int q = 0;
        for (int i = 0; i < 25; i++) {
            for (int j = 0; j < 22; j++) {
                for (int k = 4; k < 7; k++) {
                    assertEquals(full.get(i, j, k), slab[q++] & 0xFF);
                }
            }
        }
    }

    @Test
    void realExampleSegmentationSurvivesTheRoundTrip() {
        Path dir = Python.shared().resolve("data/totalseg-example");
        Assumptions.assumeTrue(Files.exists(dir.resolve("example_ct_sm.nii.gz")));
        Volume ct = NiftiReader.read(dir.resolve("example_ct_sm.nii.gz"));
        LabelVolume seg = NiftiReader.readLabels(dir.resolve("example_seg.nii.gz"));
        PreprocessedImage p = new Preprocessor(PreprocessingSettings.bundleDefaults()).preprocess(ct);
        assertArrayEquals(new int[] {243, 201, 59}, p.resampledDims().toArray(), "3 mm -> 1.5 mm: 2(n-1)+1");
        LabelVolume net = p.toNetwork(seg);
        LabelVolume back = p.toOriginal(net);
        // every labelled voxel lies in the body, so inside the foreground crop: the round trip is exact everywhere
        assertArrayEquals(seg.toArray(), back.toArray());
        assertEquals(seg.count(5) * 8, net.count(5), 0.05 * seg.count(5) * 8, "liver volume is kept (x8 voxels at half the spacing)");
    }
}
