package com.edgeseg.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.io.nifti.NiftiWriter;
import com.edgeseg.volume.Volume;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hardening rows of the segment command: an output that is one of the inputs, a folder as input, an output
 * folder that cannot exist, headers that promise more voxels than the file holds (in a JVM with a 256 MiB heap),
 * sizes that overflow, a resampled grid beyond the limit, a misspelled class with a click, an empty class list, and
 * stale temporary files. Each is refused before any work with the exit code of its category and a message naming
 * what was expected; no input changes and no file is left behind.
 */
class InputsAreNeverHarmedTest {
    @TempDir
    Path tmp;

    /** A 20³ soft-tissue cube at 1.5 mm. */
    private Path cube(String name) {
        Dims d = new Dims(20, 20, 20);
        float[] px = new float[d.voxelCount()];
        java.util.Arrays.fill(px, 40f);
        Path in = tmp.resolve(name);
        NiftiWriter.write(in, Volume.wrap(Geometry.of(d, Affine.of(new double[] {1.5, 0, 0, 0, 1.5, 0, 0, 0, 1.5},
                new double[] {0, 0, 0})), px));
        return in;
    }

    /** A gzip NIfTI-1 file whose header says {@code dims} of {@code datatype} at {@code spacing}, with few data bytes. */
    private Path crafted(String name, int[] dims, short datatype, short bitpix, float spacing, int dataBytes)
            throws IOException {
        ByteBuffer h = ByteBuffer.allocate(352).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0, 348);
        h.putShort(40, (short) 3);
        for (int a = 0; a < 3; a++) {
            h.putShort(42 + 2 * a, (short) dims[a]);
        }
        h.putShort(48, (short) 1);
        h.putShort(50, (short) 1);
        h.putShort(52, (short) 1);
        h.putShort(54, (short) 1);
        h.putShort(70, datatype);
        h.putShort(72, bitpix);
        h.putFloat(76, 1f);
        for (int a = 0; a < 3; a++) {
            h.putFloat(80 + 4 * a, spacing);
        }
        h.putFloat(108, 352f);
        h.putFloat(112, 1f);
        h.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1');
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(h.array());
            gz.write(new byte[dataBytes]);
        }
        Path p = tmp.resolve(name);
        Files.write(p, bytes.toByteArray());
        return p;
    }

    private static void refused(CliRun run, int exit, String fragment) {
        assertEquals(exit, run.exitCode(), run.err());
        assertTrue(run.err().contains(fragment), "message should mention '" + fragment + "': " + run.err());
        assertTrue(run.err().contains("expected"), "says what was expected: " + run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
    }

    private void nothingElseIn(Path dir, Path... allowed) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> left = files.filter(p -> !List.of(allowed).contains(p)).toList();
            assertTrue(left.isEmpty(), "files left behind: " + left);
        }
    }

    @Test
    void theOutputIsNeverOneOfTheInputs() throws Exception {
        Path ct = cube("ct.nii.gz");
        byte[] before = Files.readAllBytes(ct);
        refused(CliRun.of("segment", "--input", ct.toString(), "--output", ct.toString()), 2, "same file as the input");
        Path alias = tmp.resolve("sub/../ct.nii.gz");
        Files.createDirectories(tmp.resolve("sub"));
        refused(CliRun.of("stream", "--input", ct.toString(), "--output", alias.toString()), 2, "same file as the input");
        Path prev = cube("prev.nii.gz");
        byte[] prevBefore = Files.readAllBytes(prev);
        refused(CliRun.of("segment", "--input", ct.toString(), "--prev", prev.toString(), "--classes", "liver",
                "--click", "10,10,10,+", "--output", prev.toString()), 2, "same file as the input");
        assertArrayEquals(before, Files.readAllBytes(ct), "the CT is untouched");
        assertArrayEquals(prevBefore, Files.readAllBytes(prev), "the previous map is untouched");
        nothingElseIn(tmp, ct, prev, tmp.resolve("sub"));
    }

    @Test
    void foldersAndImpossibleOutputsAreRefusedBeforeWork() throws Exception {
        Path ct = cube("ct.nii.gz");
        // a folder is read as a DICOM series: one without DICOM images is refused as such
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        refused(CliRun.of("segment", "--input", empty.toString(), "--output", tmp.resolve("o.nii.gz").toString()), 2,
                "no DICOM image");
        refused(CliRun.of("stream", "--input", empty.toString(), "--output", tmp.resolve("o.nii.gz").toString()), 2,
                "is a directory");
        Path file = Files.writeString(tmp.resolve("notes.txt"), "a file, not a folder");
        long t0 = System.nanoTime();
        refused(CliRun.of("segment", "--input", ct.toString(), "--output", file.resolve("seg.nii.gz").toString()), 2,
                "not writable");
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "refused before any segmentation");
        nothingElseIn(tmp, ct, file, empty);
    }

    @Test
    void headersPromisingMoreThanTheFileHoldsFailFastUnderASmallHeap() throws Exception {
        // 296 bytes of gzip claiming 1500 x 1500 x 900 int16 (about 4 GB of voxels)
        Path liar = crafted("liar.nii.gz", new int[] {1500, 1500, 900}, (short) 4, (short) 16, 1f, 0);
        assertTrue(Files.size(liar) < 400);
        Path out = tmp.resolve("out/seg.nii.gz");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "com.edgeseg.cli.Main", "segment",
                "--input", liar.toString(), "--output", out.toString(), "--model", CliRun.referenceModel());
        pb.redirectErrorStream(true);
        long t0 = System.nanoTime();
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        System.out.println(text);
        assertEquals(2, p.exitValue(), text);
        assertTrue(text.contains("truncated file") && text.contains("expected at least"), text);
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(60), "no 30 s of allocation first");
        assertFalse(Files.exists(tmp.resolve("out")), "no output folder content");

        Path huge = crafted("huge.nii.gz", new int[] {32767, 32767, 1}, (short) 64, (short) 64, 1f, 64);
        refused(CliRun.of("segment", "--input", huge.toString(), "--output", out.toString()), 2, "for gzip input");
    }

    @Test
    void aGridBeyondTheLimitIsAResourceError() throws Exception {
        // 48,000 voxels at 100 mm: resampled to the model's spacing this is billions of voxels
        Path coarse = crafted("coarse.nii.gz", new int[] {40, 40, 30}, (short) 4, (short) 16, 100f, 40 * 40 * 30 * 2);
        refused(CliRun.of("segment", "--input", coarse.toString(), "--output", tmp.resolve("seg.nii.gz").toString(),
                "--model", CliRun.referenceModel()), Main.RESOURCE_LIMIT, "expected at most");
        nothingElseIn(tmp, coarse);
    }

    @Test
    void classesMustBeKnownOrExplicitlyNew() throws Exception {
        Path ct = cube("ct.nii.gz");
        Path out = tmp.resolve("seg.nii.gz");
        CliRun typo = CliRun.of("segment", "--input", ct.toString(), "--output", out.toString(), "--model",
                CliRun.referenceModel(), "--classes", "livr", "--click", "10,10,10,+");
        refused(typo, 2, "unknown class 'livr'");
        assertTrue(typo.err().contains("new:livr"), "says how to ask for an unseen structure: " + typo.err());
        refused(CliRun.of("segment", "--input", ct.toString(), "--output", out.toString(), "--classes", ""), 2,
                "--classes is empty");
        refused(CliRun.of("segment", "--input", ct.toString(), "--output", out.toString(), "--model",
                CliRun.referenceModel(), "--classes", "liver,liver"), 2, "given twice");
        nothingElseIn(tmp, ct);
    }

    @Test
    void staleTemporaryFilesOfAKilledRunAreRemovedOnTheNextWrite() throws Exception {
        Path ct = cube("ct.nii.gz");
        Path out = tmp.resolve("seg.nii.gz");
        List<Path> stale = new ArrayList<>();
        for (String suffix : List.of("123.tmp", "98765.tmp")) {
            stale.add(Files.write(tmp.resolve(".seg.nii.gz" + suffix), new byte[1000]));
        }
        Path unrelated = Files.writeString(tmp.resolve(".other.nii.gz1.tmp"), "another output's");
        CliRun run = CliRun.of("segment", "--input", ct.toString(), "--output", out.toString(), "--model",
                CliRun.referenceModel(), "--classes", "liver", "--threads", "1");
        assertEquals(0, run.exitCode(), run.err());
        for (Path s : stale) {
            assertFalse(Files.exists(s), s + " removed");
        }
        nothingElseIn(tmp, ct, out, unrelated);
    }

    @Test
    void anEngineThatFailsIsASystemFaultNotBadInput() throws Exception {
        // a consistently signed package whose encoder is not a model: the engine, not the user's input, fails
        Path pkg = Files.createDirectories(tmp.resolve("pkg"));
        Path src = DefaultModel.resolve();
        try (Stream<Path> files = Files.list(src)) {
            for (Path f : files.toList()) {
                Files.copy(f, pkg.resolve(f.getFileName()));
            }
        }
        Files.writeString(pkg.resolve("encoder.onnx"), "not an ONNX model");
        String sha = com.edgeseg.pkg.ModelPackage.sha256(pkg.resolve("encoder.onnx"));
        String manifest = Files.readString(pkg.resolve("manifest.json"))
                .replaceFirst("(\"encoder.onnx\"\\s*:\\s*\")[0-9a-f]{64}", "$1" + sha);
        Files.writeString(pkg.resolve("manifest.json"), manifest);
        Files.writeString(pkg.resolve("manifest.sha256"),
                com.edgeseg.pkg.ModelPackage.sha256(pkg.resolve("manifest.json")) + "  manifest.json\n");
        Path ct = cube("ct.nii.gz");
        CliRun run = CliRun.of("segment", "--input", ct.toString(), "--output", tmp.resolve("seg.nii.gz").toString(),
                "--model", pkg.toString());
        assertEquals(Main.INTERNAL, run.exitCode(), run.err());
        assertTrue(run.err().contains("system error") && run.err().contains("cannot load the model"), run.err());
        assertFalse(Files.exists(tmp.resolve("seg.nii.gz")));
    }

    @Test
    void runningOutOfHeapIsAResourceErrorNotACrash() throws Exception {
        // a real CT and the shipped model in a JVM with a heap far below what the network image needs
        Path out = tmp.resolve("seg.nii.gz");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx24m", "-cp", System.getProperty("java.class.path"), "com.edgeseg.cli.Main", "segment",
                "--input", CliRun.SHARED.resolve("data/openkbp/val/pt_201/ct.nii.gz").toString(),
                "--output", out.toString(), "--threads", "1", "--model", DefaultModel.resolve().toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES));
        System.out.println(text);
        assertEquals(Main.RESOURCE_LIMIT, p.exitValue(), text);
        assertTrue(text.contains("resource limit: out of memory") && text.contains("expected a larger heap"), text);
        assertFalse(text.contains("\tat "), "no stack trace: " + text);
        nothingElseIn(tmp);
    }
}
