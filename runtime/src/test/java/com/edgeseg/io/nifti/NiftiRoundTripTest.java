package com.edgeseg.io.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.volume.Volume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What NiftiWriter writes, NiftiReader reads back: same voxels, same affine (to float32), .nii and .nii.gz, no temp files left. */
class NiftiRoundTripTest {
    @TempDir
    Path dir;

    static Stream<Arguments> geometries() {
        double c = Math.cos(Math.toRadians(25)), s = Math.sin(Math.toRadians(25));
        return Stream.of(
                Arguments.of("ras", Affine.of(new double[] {0.8, 0, 0, 0, 0, 0.9, 0, 0, 0, 0, 2.5}, new double[] {-10, 20.5, 3})),
                Arguments.of("lps", Affine.of(new double[] {-0.7, 0, 0, 0, -0.7, 0, 0, 0, 3.0}, new double[] {100, 120, -50})),
                Arguments.of("permuted", Affine.of(new double[] {0, 0, 1.5, 1.2, 0, 0, 0, -1.1, 0}, new double[] {1, 2, 3})),
                Arguments.of("oblique", Affine.of(new double[] {c * 0.6, -s * 0.7, 0, s * 0.6, c * 0.7, 0, 0, 0, -2.0}, new double[] {5, -6, 7})));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("geometries")
    void floatVolumesAndLabelsRoundTrip(String name, Affine affine) throws Exception {
        Dims d = new Dims(7, 5, 4);
        Random r = new Random(name.hashCode());
        float[] v = new float[d.voxelCount()];
        byte[] l = new byte[d.voxelCount()];
        for (int p = 0; p < v.length; p++) {
            v[p] = (float) (r.nextGaussian() * 700);
            l[p] = (byte) r.nextInt(256);
        }
        Geometry g = Geometry.of(d, affine);
        for (String ext : new String[] {".nii", ".nii.gz"}) {
            Path f = dir.resolve(name + ext);
            NiftiWriter.write(f, Volume.wrap(g, v.clone()));
            Volume back = NiftiReader.read(f);
            assertArrayEquals(v, back.toArray(), 0f);
            assertEquals(d, back.dims());
            assertTrue(back.geometry().indexToWorld().approximatelyEquals(affine, 1e-5), back.geometry().indexToWorld() + " vs " + affine);

            Path fl = dir.resolve(name + "-labels" + ext);
            NiftiWriter.writeLabels(fl, LabelVolume.wrap(g, l.clone()));
            LabelVolume lb = NiftiReader.readLabels(fl);
            assertArrayEquals(l, lb.toArray());
            assertTrue(lb.geometry().indexToWorld().approximatelyEquals(affine, 1e-5));
        }
        if (name.equals("ras")) {
            byte[] head = Files.readAllBytes(dir.resolve("ras.nii"));
            assertEquals(352 + 4 * d.voxelCount(), head.length, "header + extension flag + float32 voxels");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count(), "no temp files left");
        }
    }
}
