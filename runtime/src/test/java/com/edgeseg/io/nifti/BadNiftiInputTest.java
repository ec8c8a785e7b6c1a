package com.edgeseg.io.nifti;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.volume.Volume;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that are not a single readable 3-D NIfTI volume fail with NiftiFormatException saying what was expected. */
class BadNiftiInputTest {
    @TempDir
    Path dir;

    private byte[] validFile() throws Exception {
        Path f = dir.resolve("valid.nii");
        Geometry g = Geometry.of(new Dims(4, 3, 2), Affine.diagonal(1, 1, 1));
        NiftiWriter.write(f, Volume.wrap(g, new float[24]));
        return Files.readAllBytes(f);
    }

    private String failure(byte[] content, String name) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, content);
        return assertThrows(NiftiFormatException.class, () -> NiftiReader.read(f)).getMessage();
    }

    private static byte[] gzip(byte[] b) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    @Test
    void garbageIsNotNifti() throws Exception {
        byte[] junk = new byte[1000];
        new java.util.Random(1).nextBytes(junk);
        String m = failure(junk, "junk.nii");
        assertTrue(m.contains("not a NIfTI") && m.contains("348"), m);
        assertTrue(failure(new byte[0], "empty.nii").contains("not a NIfTI"));
        assertTrue(failure("hello".getBytes(), "text.nii").contains("not a NIfTI"));
    }

    @Test
    void wrongMagicIsNotNifti() throws Exception {
        byte[] b = validFile();
        b[344] = 'x';
        assertTrue(failure(b, "magic.nii").contains("expected 'n+1'"));
    }

    @Test
    void truncatedFilesSayTruncated() throws Exception {
        byte[] b = validFile();
        String m = failure(Arrays.copyOf(b, b.length - 10), "short.nii");
        assertTrue(m.contains("truncated"), m);
        byte[] gz = gzip(b);
        String mz = failure(Arrays.copyOf(gz, gz.length / 2), "short.nii.gz");
        assertTrue(mz.contains("truncated") || mz.contains("corrupt gzip"), mz);
        String mh = failure(Arrays.copyOf(b, 200), "header.nii");
        assertTrue(mh.contains("not a NIfTI") || mh.contains("truncated"), mh);
    }

    @Test
    void moreThanOneVolumeIsRefused() throws Exception {
        byte[] b = validFile();
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        h.putShort(40, (short) 4);
        h.putShort(48, (short) 2); // dim[4] = 2 volumes
        String m = failure(b, "4d.nii");
        assertTrue(m.contains("more than one volume") && m.contains("single 3-D"), m);
    }

    @Test
    void unsupportedDatatypeNamesTheSupportedOnes() throws Exception {
        byte[] b = validFile();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(70, (short) 32); // complex64
        String m = failure(b, "complex.nii");
        assertTrue(m.contains("unsupported NIfTI datatype code 32") && m.contains("float32"), m);
    }

    @Test
    void labelsOutsideUint8AreRefused() throws Exception {
        Path f = dir.resolve("big.nii");
        Geometry g = Geometry.of(new Dims(2, 2, 2), Affine.identity());
        float[] v = new float[8];
        v[3] = 300;
        NiftiWriter.write(f, Volume.wrap(g, v));
        String m = assertThrows(NiftiFormatException.class, () -> NiftiReader.readLabels(f)).getMessage();
        assertTrue(m.contains("300") && m.contains("0..255"), m);
    }

    @Test
    void missingFileIsTyped() {
        assertThrows(NiftiFormatException.class, () -> NiftiReader.read(dir.resolve("nope.nii")));
    }
}
