package com.edgeseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.io.nifti.NiftiWriter;
import com.edgeseg.volume.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to {@code ./edgeseg segment}: a typed error that says what was expected, exit code 2, and no
 * output file (not even a partial or temporary one) left behind.
 */
class BadInputTest {
    @TempDir
    Path tmp;

    private CliRun segment(Path input, String... extra) {
        String[] full = Stream.concat(Stream.of("segment", "--input", input.toString(), "--output",
                tmp.resolve("out/seg.nii.gz").toString()), Stream.of(extra)).toArray(String[]::new);
        return CliRun.of(full);
    }

    private void assertRefused(CliRun run, String expectedInMessage) throws IOException {
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains(expectedInMessage), "message should mention '" + expectedInMessage + "': " + run.err());
        Path outDir = tmp.resolve("out");
        if (Files.exists(outDir)) {
            try (Stream<Path> files = Files.list(outDir)) {
                assertFalse(files.findAny().isPresent(), "no partial output may remain");
            }
        }
    }

    @Test
    void aFileThatIsNotNiftiIsRefused() throws Exception {
        Path junk = tmp.resolve("junk.nii.gz");
        Files.writeString(junk, "this is not a NIfTI file");
        assertRefused(segment(junk), "NIfTI");
    }

    /** A 20³ soft-tissue cube (40 HU) written as NIfTI; {@code nanAt} < 0 for none. */
    private Path cube(String name, Affine affine, int nanAt) {
        Dims d = new Dims(20, 20, 20);
        float[] px = new float[d.voxelCount()];
        java.util.Arrays.fill(px, 40f);
        if (nanAt >= 0) {
            px[nanAt] = Float.NaN;
        }
        Path in = tmp.resolve(name);
        NiftiWriter.write(in, Volume.wrap(Geometry.of(d, affine), px));
        return in;
    }

    @Test
    void aDicomSegOutputNeedsADicomInput() throws Exception {
        Path out = tmp.resolve("seg.dcm");
        assertRefused(CliRun.of("segment", "--input", SegmentEndToEndTest.CHEST.toString(), "--output", out.toString()),
                "DICOM series folder");
        assertFalse(Files.exists(out));
    }

    @Test
    void nanVoxelsAreRefused() throws Exception {
        assertRefused(segment(cube("nan.nii", Affine.diagonal(2, 2, 2), new Dims(20, 20, 20).index(3, 4, 5))), "NaN");
    }

    @Test
    void aShearedDirectionIsRefused() throws Exception {
        // column 1 leans 30 degrees towards column 0: not a rotation, MONAI would silently drop the shear
        Affine sheared = Affine.of(new double[] {2, 1, 0, 0, 1.732, 0, 0, 0, 2}, new double[] {0, 0, 0});
        assertRefused(segment(cube("sheared.nii.gz", sheared, -1)), "orthogonal");
    }

    @Test
    void aPreviousMapOnAnotherGridIsRefused() throws Exception {
        Dims d = new Dims(8, 8, 8);
        Path prev = tmp.resolve("prev.nii.gz");
        NiftiWriter.writeLabels(prev, com.edgeseg.volume.LabelVolume.wrap(Geometry.of(d, Affine.identity()),
                new byte[d.voxelCount()]));
        assertRefused(segment(SegmentEndToEndTest.CHEST, "--model", CliRun.referenceModel(), "--prev", prev.toString(),
                "--classes", "30",
                "--click", "20,30,40,+"), "expected the input's");
    }

    @Test
    void aClickOutsideTheVolumeIsRefused() throws Exception {
        assertRefused(segment(SegmentEndToEndTest.CHEST, "--click", "64,10,10,+"), "outside the volume");
    }

    /** Only the reference lattice crops to the body; the streaming lattice of product sees the whole volume. */
    @Test
    void aPositiveClickInTheAirOutsideTheReferenceCropIsRefused() throws Exception {
        assertRefused(segment(SegmentEndToEndTest.CHEST, "--model", CliRun.referenceModel(), "--profile", "parity",
                "--click", "0,0,0,+"),
                "outside the body region");
    }

    @Test
    void anUnknownClassWithoutClicksIsRefused() throws Exception {
        assertRefused(segment(SegmentEndToEndTest.CHEST, "--model", CliRun.referenceModel(),
                "--classes", "liver,flux capacitor"), "flux capacitor");
    }

    @Test
    void aTamperedPackageIsRefusedByFileName() throws Exception {
        Path pkg = tmp.resolve("pkg");
        Files.createDirectories(pkg);
        Path source = com.edgeseg.export.PackageCache.forWeights(
                CliRun.SHARED.resolve("vectors/net-w8-a/weights.npz"), System.err).dir();
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, pkg.resolve(f.getFileName()));
            }
        }
        byte[] head = Files.readAllBytes(pkg.resolve("auto_features.onnx"));
        head[head.length - 1] ^= 1;
        Files.write(pkg.resolve("auto_features.onnx"), head);
        assertRefused(segment(SegmentEndToEndTest.CHEST, "--model", pkg.toString()), "auto_features.onnx");
    }
}
