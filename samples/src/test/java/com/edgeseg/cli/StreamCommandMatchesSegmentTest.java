package com.edgeseg.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.io.nifti.NiftiReader;
import com.edgeseg.volume.LabelVolume;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./edgeseg stream} on a real CT with the shipped model: slices fed shuffled with the slice plan announced,
 * and reversed without one, end with exactly the label map of batch {@code ./edgeseg segment}; slab masks are
 * reported on the way; a bad option is a usage error that writes nothing.
 */
class StreamCommandMatchesSegmentTest {
    static final Path CT = CliRun.SHARED.resolve("data/openkbp/val/pt_201/ct.nii.gz");

    @TempDir
    static Path tmp;
    static LabelVolume batch;

    @BeforeAll
    static void segment() {
        Path out = tmp.resolve("batch.nii.gz");
        CliRun run = CliRun.of("segment", "--input", CT.toString(), "--output", out.toString(), "--threads", "2");
        assertEquals(0, run.exitCode(), run.err());
        batch = NiftiReader.readLabels(out);
    }

    private static LabelVolume stream(String... options) {
        Path out = tmp.resolve("stream-" + String.join("", options).replace("-", "") + ".nii.gz");
        String[] args = new String[options.length + 7];
        args[0] = "stream";
        args[1] = "--input";
        args[2] = CT.toString();
        args[3] = "--output";
        args[4] = out.toString();
        args[5] = "--rate";
        args[6] = "0";
        System.arraycopy(options, 0, args, 7, options.length);
        CliRun run = CliRun.of(args);
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("slab mask: slices"), "slab masks are printed as they come");
        assertTrue(run.out().contains("last slice  -> final mask"), run.out());
        return NiftiReader.readLabels(out);
    }

    @Test
    void shuffledWithAPlanEqualsBatch() {
        LabelVolume streamed = stream("--order", "shuffle", "--threads", "2");
        assertEquals(batch.dims(), streamed.dims());
        assertArrayEquals(batch.toArray(), streamed.toArray(), "streamed = batch, voxel for voxel");
    }

    @Test
    void reversedWithoutAPlanEqualsBatch() {
        LabelVolume streamed = stream("--order", "reverse", "--no-plan", "--threads", "2");
        assertArrayEquals(batch.toArray(), streamed.toArray(), "streamed = batch, voxel for voxel");
    }

    @Test
    void anUnknownOrderIsAUsageError() {
        Path out = tmp.resolve("never.nii.gz");
        CliRun run = CliRun.of("stream", "--input", CT.toString(), "--output", out.toString(), "--order", "sideways");
        assertEquals(Main.BAD_INPUT, run.exitCode());
        assertTrue(run.err().contains("expects one of [scanner, reverse, shuffle]"), run.err());
        assertTrue(!Files.exists(out));
    }
}
