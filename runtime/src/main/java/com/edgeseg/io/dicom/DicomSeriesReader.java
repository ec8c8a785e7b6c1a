package com.edgeseg.io.dicom;

import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.volume.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads a folder of CT Image Storage files (any file names, any order) as one volume, the way a study's Loader
 * builds it from slices: axis 0 = column index (along the row direction), axis 1 = row index, axis 2 = slices
 * sorted by position along the slice normal (row × column direction), never by InstanceNumber or file name; HU from
 * RescaleSlope/Intercept; the affine RAS+ like NIfTI (DICOM's LPS x and y negated). Files that are not DICOM are
 * ignored. More than one series, a gantry tilt, a missing slice or uneven spacing, and slices that disagree on size,
 * orientation or pixel spacing are each a {@link DicomFormatException}.
 */
public final class DicomSeriesReader {
    private static final int SERIES_UID = 0x0020000E;
    private static final int FRAME_OF_REFERENCE = 0x00200052;
    private static final int POSITION = 0x00200032;
    private static final int ORIENTATION = 0x00200037;
    private static final int ROWS = 0x00280010;
    private static final int COLUMNS = 0x00280011;
    private static final int PIXEL_SPACING = 0x00280030;
    private static final int BITS_ALLOCATED = 0x00280100;
    private static final int PIXEL_REPRESENTATION = 0x00280103;
    private static final int SAMPLES = 0x00280002;
    private static final int INTERCEPT = 0x00281052;
    private static final int SLOPE = 0x00281053;
    /** Relative tolerance between slices' pixel spacing / orientation and between slice gaps. */
    static final double TOLERANCE = 1e-3;

    private DicomSeriesReader() {}

    /** Keyword -> tag of the attributes a derived object copies from its source series ({@link DicomSeries#identity}). */
    static final Map<String, Integer> IDENTITY = identityTags();

    private static Map<String, Integer> identityTags() {
        Map<String, Integer> m = new java.util.LinkedHashMap<>();
        m.put("SpecificCharacterSet", 0x00080005);
        m.put("PatientName", 0x00100010);
        m.put("PatientID", 0x00100020);
        m.put("PatientBirthDate", 0x00100030);
        m.put("PatientSex", 0x00100040);
        m.put("StudyInstanceUID", 0x0020000D);
        m.put("StudyDate", 0x00080020);
        m.put("StudyTime", 0x00080030);
        m.put("StudyID", 0x00200010);
        m.put("AccessionNumber", 0x00080050);
        m.put("ReferringPhysicianName", 0x00080090);
        m.put("SeriesInstanceUID", SERIES_UID);
        m.put("FrameOfReferenceUID", FRAME_OF_REFERENCE);
        m.put("PositionReferenceIndicator", 0x00201040);
        return java.util.Collections.unmodifiableMap(m);
    }

    private static final int SOP_CLASS = 0x00080016;
    private static final int SOP_INSTANCE = 0x00080018;

    /** The one CT series in {@code folder} (files directly inside it) as a volume. */
    public static Volume read(Path folder) {
        return readSeries(folder).volume();
    }

    /**
     * The one CT series in {@code folder} with what a derived object needs to reference it: the slices' SOP
     * instances in volume order and the patient, study and frame-of-reference identifiers.
     */
    public static DicomSeries readSeries(Path folder) {
        List<DicomFile> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.sorted().toList()) {
                if (Files.isRegularFile(p)) {
                    DicomFile f = DicomFile.read(p);
                    if (f != null && f.has(DicomFile.PIXEL_DATA)) {
                        files.add(f);
                    }
                }
            }
        } catch (IOException e) {
            throw new DicomFormatException(folder + " cannot be listed (" + e.getMessage() + "); expected a folder of "
                    + "DICOM files");
        }
        if (files.isEmpty()) {
            throw new DicomFormatException(folder + " holds no DICOM image; expected the files of one CT series");
        }
        // group: SeriesInstanceUID, else frame of reference + orientation (some exports leave the UID empty)
        Map<String, List<DicomFile>> series = new TreeMap<>();
        for (DicomFile f : files) {
            String key = f.string(SERIES_UID);
            if (key.isEmpty()) {
                key = "frame " + f.string(FRAME_OF_REFERENCE) + " orientation " + f.string(ORIENTATION);
            }
            series.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
        }
        if (series.size() > 1) {
            throw new DicomFormatException(folder + " mixes " + series.size() + " series " + series.keySet()
                    + "; expected the files of one series (one folder per series)");
        }
        return volume(folder, files);
    }

    private static DicomSeries volume(Path folder, List<DicomFile> files) {
        DicomFile first = files.get(0);
        int rows = first.unsignedShort(ROWS, "Rows");
        int cols = first.unsignedShort(COLUMNS, "Columns");
        double[] iop = first.numbers(ORIENTATION, 6, "ImageOrientationPatient");
        double[] spacing = first.numbers(PIXEL_SPACING, 2, "PixelSpacing");
        double[] rd = {iop[0], iop[1], iop[2]};
        double[] cd = {iop[3], iop[4], iop[5]};
        double[] normal = {rd[1] * cd[2] - rd[2] * cd[1], rd[2] * cd[0] - rd[0] * cd[2], rd[0] * cd[1] - rd[1] * cd[0]};
        record Slice(DicomFile file, double[] position, double along) {}
        List<Slice> slices = new ArrayList<>();
        for (DicomFile f : files) {
            if (f.unsignedShort(ROWS, "Rows") != rows || f.unsignedShort(COLUMNS, "Columns") != cols) {
                throw new DicomFormatException(f.path + " is " + f.unsignedShort(ROWS, "Rows") + "x"
                        + f.unsignedShort(COLUMNS, "Columns") + "; expected " + rows + "x" + cols + " as the series' "
                        + first.path.getFileName());
            }
            same(f, "ImageOrientationPatient", f.numbers(ORIENTATION, 6, "ImageOrientationPatient"), iop);
            same(f, "PixelSpacing", f.numbers(PIXEL_SPACING, 2, "PixelSpacing"), spacing);
            double[] p = f.numbers(POSITION, 3, "ImagePositionPatient");
            slices.add(new Slice(f, p, p[0] * normal[0] + p[1] * normal[1] + p[2] * normal[2]));
        }
        slices.sort(Comparator.comparingDouble(Slice::along));
        int n = slices.size();
        double step = n > 1 ? (slices.get(n - 1).along() - slices.get(0).along()) / (n - 1) : 1.0;
        for (int k = 1; k < n; k++) {
            double gap = slices.get(k).along() - slices.get(k - 1).along();
            if (gap <= 0) {
                throw new DicomFormatException(slices.get(k).file().path + " lies at the same position as "
                        + slices.get(k - 1).file().path + "; expected one image per position");
            }
            if (Math.abs(gap - step) > TOLERANCE * Math.max(1, Math.abs(step)) * 10) {
                throw new DicomFormatException(String.format("%s: the gap between slices %d and %d is %.3f mm, the "
                        + "series' mean step %.3f mm; expected uniform spacing (a slice missing?)", folder, k - 1, k, gap, step));
            }
            // gantry tilt: consecutive positions must move along the normal only
            double[] d = new double[3];
            for (int a = 0; a < 3; a++) {
                d[a] = slices.get(k).position()[a] - slices.get(k - 1).position()[a];
            }
            double inRow = d[0] * rd[0] + d[1] * rd[1] + d[2] * rd[2];
            double inCol = d[0] * cd[0] + d[1] * cd[1] + d[2] * cd[2];
            if (Math.hypot(inRow, inCol) > 0.01 * Math.min(spacing[0], spacing[1]) + 1e-3) {
                throw new DicomFormatException(String.format("%s: slice %d is shifted %.3f mm within the image plane "
                        + "from slice %d (gantry tilt?); expected positions along the slice normal", folder, k, Math.hypot(inRow, inCol), k - 1));
            }
        }
        float[] data = new float[Math.multiplyExact(Math.multiplyExact(rows, cols), n)];
        for (int k = 0; k < n; k++) {
            DicomFile f = slices.get(k).file();
            if (f.has(SAMPLES) && f.unsignedShort(SAMPLES, "SamplesPerPixel") != 1) {
                throw new DicomFormatException(f.path + ": " + f.unsignedShort(SAMPLES, "SamplesPerPixel")
                        + " samples per pixel; expected a grey-scale CT image (1)");
            }
            int bits = f.unsignedShort(BITS_ALLOCATED, "BitsAllocated");
            if (bits != 16) {
                throw new DicomFormatException(f.path + ": BitsAllocated " + bits + "; expected 16");
            }
            boolean signed = f.unsignedShort(PIXEL_REPRESENTATION, "PixelRepresentation") == 1;
            double slope = f.has(SLOPE) ? f.numbers(SLOPE, 1, "RescaleSlope")[0] : 1.0;
            double intercept = f.has(INTERCEPT) ? f.numbers(INTERCEPT, 1, "RescaleIntercept")[0] : 0.0;
            int[] stored = f.storedPixels(rows, cols, signed);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    data[(c * rows + r) * n + k] = (float) (stored[r * cols + c] * slope + intercept);
                }
            }
        }
        double[] origin = slices.get(0).position();
        double[] linear = new double[9];
        double[] t = new double[3];
        for (int a = 0; a < 3; a++) {
            double flip = a < 2 ? -1 : 1;
            linear[a * 3] = flip * rd[a] * spacing[1] + 0.0;
            linear[a * 3 + 1] = flip * cd[a] * spacing[0] + 0.0;
            linear[a * 3 + 2] = flip * normal[a] * step + 0.0;
            t[a] = flip * origin[a] + 0.0;
        }
        Volume volume = Volume.wrap(Geometry.of(new Dims(cols, rows, n), Affine.of(linear, t)), data);
        List<DicomSeries.SliceRef> refs = new ArrayList<>();
        for (Slice s : slices) {
            refs.add(new DicomSeries.SliceRef(s.file().string(SOP_CLASS), s.file().string(SOP_INSTANCE), s.position()));
        }
        Map<String, String> identity = new java.util.LinkedHashMap<>();
        IDENTITY.forEach((keyword, tag) -> identity.put(keyword, first.string(tag)));
        return new DicomSeries(volume, refs, identity, iop, spacing, step);
    }

    private static void same(DicomFile f, String what, double[] got, double[] want) {
        for (int i = 0; i < want.length; i++) {
            if (Math.abs(got[i] - want[i]) > TOLERANCE * Math.max(1, Math.abs(want[i]))) {
                throw new DicomFormatException(f.path + ": " + what + " " + java.util.Arrays.toString(got)
                        + "; expected the series' " + java.util.Arrays.toString(want));
            }
        }
    }
}
