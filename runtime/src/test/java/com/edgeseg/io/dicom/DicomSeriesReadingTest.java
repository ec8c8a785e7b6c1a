package com.edgeseg.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.geometry.Affine;
import com.edgeseg.io.nifti.NiftiReader;
import com.edgeseg.volume.Volume;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real DICOM CT series from ../shared/data/dicom-ct read as volumes: the implicit-VR series equal their NIfTI
 * conversions voxel for voxel (affine within 4e-4 mm), whatever the file order; a JPEG 2000 series is refused by
 * name; a folder with two series, a missing slice and a folder without DICOM are typed errors.
 */
class DicomSeriesReadingTest {
    static final Path DATA = Path.of(System.getProperty("edgeseg.shared", "../shared")).resolve("data");

    @TempDir
    Path tmp;

    static void assertSameVolume(Volume expected, Volume got, double affineTolerance) {
        assertEquals(expected.dims(), got.dims());
        assertArrayEquals(expected.toArray(), got.toArray(), 0f, "voxels");
        Affine a = expected.geometry().indexToWorld();
        Affine b = got.geometry().indexToWorld();
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(a.get(r, c), b.get(r, c), affineTolerance, "affine (" + r + "," + c + ")");
            }
        }
    }

    @Test
    void implicitVrSeriesEqualTheirNiftiConversions() {
        assertSameVolume(NiftiReader.read(DATA.resolve("chest-ct/cip-ct-64/ct.nii.gz")),
                DicomSeriesReader.read(DATA.resolve("dicom-ct/cip-ct-64/series")), 4e-4);
        assertSameVolume(NiftiReader.read(DATA.resolve("ibsi-sts/STS_019/ct.nii.gz")),
                DicomSeriesReader.read(DATA.resolve("dicom-ct/ibsi-sts-019/image")), 4e-4);
    }

    @Test
    void fileOrderDoesNotMatter() throws Exception {
        Path src = DATA.resolve("dicom-ct/cip-ct-64/series");
        Path shuffled = Files.createDirectories(tmp.resolve("shuffled"));
        try (var s = Files.list(src)) {
            int i = 0;
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.copy(p, shuffled.resolve(String.format("%03d-x", (i++ * 37) % 101)));
            }
        }
        assertArrayEquals(DicomSeriesReader.read(src).toArray(), DicomSeriesReader.read(shuffled).toArray(), 0f);
    }

    @Test
    void unsupportedAndInconsistentSeriesAreTypedErrors() throws Exception {
        // an RLE file: the transfer syntax of a copied file rewritten in its file meta
        Path rle = Files.createDirectories(tmp.resolve("rle"));
        byte[] f = Files.readAllBytes(DATA.resolve("dicom-ct/cip-ct-64/series/IMG0001.dcm"));
        byte[] uid = "1.2.840.10008.1.2\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int at = indexOf(f, uid, 132);
        byte[] rleUid = "1.2.840.10008.1.2.5\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(f, 0, at - 2);
        out.write(rleUid.length);
        out.write(0);
        out.write(rleUid);
        out.write(f, at + uid.length, f.length - at - uid.length);
        Files.write(rle.resolve("IMG0001.dcm"), out.toByteArray());
        DicomFormatException named = assertThrows(DicomFormatException.class, () -> DicomSeriesReader.read(rle));
        assertTrue(named.getMessage().contains("RLE lossless") && named.getMessage().contains("expected"),
                named.getMessage());

        Path two = Files.createDirectories(tmp.resolve("two"));
        copy(DATA.resolve("dicom-ct/cip-ct-64/series"), two, 3);
        copy(DATA.resolve("dicom-ct/ibsi-sts-019/image"), two, 3);
        DicomFormatException mixed = assertThrows(DicomFormatException.class, () -> DicomSeriesReader.read(two));
        assertTrue(mixed.getMessage().contains("mixes 2 series"), mixed.getMessage());

        Path gap = Files.createDirectories(tmp.resolve("gap"));
        copy(DATA.resolve("dicom-ct/cip-ct-64/series"), gap, 79);
        try (var s = Files.list(gap)) {
            Files.delete(s.sorted().toList().get(40));
        }
        DicomFormatException missing = assertThrows(DicomFormatException.class, () -> DicomSeriesReader.read(gap));
        assertTrue(missing.getMessage().contains("a slice missing?"), missing.getMessage());

        Path none = Files.createDirectories(tmp.resolve("none"));
        Files.writeString(none.resolve("notes.txt"), "not DICOM");
        assertTrue(assertThrows(DicomFormatException.class, () -> DicomSeriesReader.read(none)).getMessage()
                .contains("no DICOM image"));
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("transfer syntax not found in the file meta");
    }

    @Test
    void aJpeg2000SeriesDecodesToTheDocumentedHounsfieldUnits() {
        Volume v = DicomSeriesReader.read(DATA.resolve("dicom-ct/totalseg-example-dicom/series"));
        assertEquals(new com.edgeseg.geometry.Dims(512, 512, 20), v.dims());
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float x : v.toArray()) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        assertEquals(-1024f, min, "HU range as the folder's README documents");
        assertEquals(1839f, max);
        // TotalSegmentator's prediction on this series, j flipped against the DICOM rows (README): liver = 5
        var seg = NiftiReader.read(DATA.resolve("dicom-ct/totalseg-example-dicom/example_seg_dicom.nii.gz"));
        double sum = 0;
        long n = 0;
        var d = v.dims();
        for (int i = 0; i < d.n0(); i++) {
            for (int j = 0; j < d.n1(); j++) {
                for (int k = 0; k < d.n2(); k++) {
                    if (seg.get(i, d.n1() - 1 - j, k) == 5) {
                        sum += v.get(i, j, k);
                        n++;
                    }
                }
            }
        }
        double liver = sum / n;
        assertEquals(89, liver, 5, "mean HU in the liver (the README's check)");
    }

    private static void copy(Path from, Path to, int count) throws Exception {
        try (var s = Files.list(from)) {
            for (Path p : s.sorted().limit(count).toList()) {
                Files.copy(p, to.resolve(from.getParent().getFileName() + "-" + p.getFileName()));
            }
        }
    }
}
