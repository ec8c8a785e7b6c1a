package com.edgeseg.io.nifti;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.edgeseg.EdgeSegException;
import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.volume.Volume;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random mutations of a real CT's header (bytes flipped, header fields overwritten with extreme values, files cut
 * short), plain and gzip: the reader either reads a volume or throws a typed {@link EdgeSegException}; never
 * another exception and never an {@link OutOfMemoryError}, and no case takes long.
 */
class NiftiReaderFuzzTest {
    static final Path CT = Path.of(System.getProperty("edgeseg.shared", "../shared"))
            .resolve("data/openkbp/val/pt_201/ct.nii.gz");
    static final int CASES = 3000;

    @TempDir
    Path tmp;

    /** A small real volume: 8³ voxels of pt_201 with its real header fields, written by our writer. */
    private byte[] seed() throws IOException {
        Volume v = NiftiReader.read(CT);
        Dims d = new Dims(8, 8, 8);
        float[] px = new float[d.voxelCount()];
        int p = 0;
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                for (int k = 0; k < 8; k++) {
                    px[p++] = v.get(60 + i, 60 + j, 60 + k);
                }
            }
        }
        Affine a = v.geometry().indexToWorld();
        Path f = tmp.resolve("seed.nii");
        NiftiWriter.write(f, Volume.wrap(Geometry.of(d, a), px));
        return Files.readAllBytes(f);
    }

    @Test
    void mutatedHeadersGiveVolumesOrTypedErrors() throws Exception {
        byte[] seed = seed();
        Random rnd = new Random(20261203);
        long[] extremes = {0, -1, 1, 0x7fff, 0x8000, 0xffff, 0x7fffffffL, 0x80000000L, 0xffffffffL, 348, 540, 352};
        int typed = 0;
        long t0 = System.nanoTime();
        for (int c = 0; c < CASES; c++) {
            byte[] b = seed.clone();
            int edits = 1 + rnd.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = rnd.nextInt(352);
                switch (rnd.nextInt(3)) {
                    case 0 -> b[at] = (byte) rnd.nextInt(256);
                    case 1 -> {
                        long x = extremes[rnd.nextInt(extremes.length)];
                        for (int k = 0; k < 4 && at + k < 352; k++) {
                            b[at + k] = (byte) (x >>> (8 * k));
                        }
                    }
                    default -> {
                        // a float field (pixdim, vox_offset, scl_*) set to an extreme
                        float f = new float[] {Float.NaN, Float.POSITIVE_INFINITY, -1e30f, 1e30f, 0f, -0f, 1e-30f}[rnd.nextInt(7)];
                        int bits = Float.floatToRawIntBits(f);
                        int pos = at & ~3;
                        for (int k = 0; k < 4; k++) {
                            b[pos + k] = (byte) (bits >>> (8 * k));
                        }
                    }
                }
            }
            int len = rnd.nextInt(10) == 0 ? rnd.nextInt(b.length) : b.length;
            byte[] file = java.util.Arrays.copyOf(b, len);
            Path p;
            if (rnd.nextBoolean()) {
                ByteArrayOutputStream z = new ByteArrayOutputStream();
                try (GZIPOutputStream gz = new GZIPOutputStream(z)) {
                    gz.write(file);
                }
                p = tmp.resolve("case.nii.gz");
                Files.write(p, z.toByteArray());
            } else {
                p = tmp.resolve("case.nii");
                Files.write(p, file);
            }
            try {
                NiftiReader.read(p);
            } catch (EdgeSegException expected) {
                typed++;
                assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
            } catch (Throwable t) {
                fail("case " + c + ": " + t + " is not a typed error", t);
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("NIfTI fuzz: %d cases, %d typed errors, %.1f s%n", CASES, typed, s);
        assertTrue(typed > CASES / 10, "the mutations do hit the checks");
        assertTrue(s < 120, "bounded in time: " + s + " s");
    }
}
