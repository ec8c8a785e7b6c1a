package com.edgeseg.io.dicom;

import com.edgeseg.io.AtomicFile;
import com.edgeseg.volume.LabelVolume;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Writes a label map of a DICOM series as one DICOM Segmentation (SEG) instance: binary segmentation, one segment
 * per label present, one frame per (segment, source slice) where the segment has voxels, explicit VR little endian.
 * The SEG joins the source's study and frame of reference, copies its patient identity, and references every source
 * image (per frame through its derivation image, for the series through the common instance reference), so a PACS
 * or viewer files it beside the CT and overlays it without resampling. Segment types use a local coding scheme
 * ({@code 99EDGESEG}, code value = the model's class id, meaning = its name); the category is SCT 91723000
 * "Anatomical Structure". Written atomically (a temporary file renamed into place).
 */
public final class DicomSegWriter {
    public static final String SEG_SOP_CLASS = "1.2.840.10008.5.1.4.1.1.66.4";
    static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    private static final String IMPLEMENTATION_UID = "2.25.237108312648226108403473540163418960521";

    private DicomSegWriter() {}

    /**
     * @param labels labels on the source volume's grid (axis 0 = column, 1 = row, 2 = slice in {@code source}'s order)
     * @param names  segment label per class id (ids absent from it are named "class N")
     * @param model  the model that made the labels (the series description and algorithm name say which)
     * @return the SOP instance UID written
     * @throws DicomFormatException when the label map does not fit the series or holds no label
     */
    public static String write(Path file, DicomSeries source, LabelVolume labels, Map<Integer, String> names, String model) {
        if (!labels.dims().equals(source.volume().dims())) {
            throw new DicomFormatException("label map " + labels.dims() + " does not fit the DICOM series "
                    + source.volume().dims() + "; expected labels on the series' own grid");
        }
        int cols = source.columns();
        int rows = source.rows();
        int slices = source.slices().size();
        // frames: segments in id order, each over the slices where it has voxels
        TreeMap<Integer, List<Integer>> frames = new TreeMap<>();
        for (int k = 0; k < slices; k++) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    int id = labels.get(c, r, k);
                    if (id != 0 && id != LabelVolume.NOT_COMPUTED) {
                        List<Integer> ks = frames.computeIfAbsent(id, x -> new ArrayList<>());
                        if (ks.isEmpty() || ks.get(ks.size() - 1) != k) {
                            ks.add(k);
                        }
                    }
                }
            }
        }
        if (frames.isEmpty()) {
            throw new DicomFormatException("the label map holds no structure; a DICOM-SEG needs at least one segment");
        }
        String now = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        String sopInstance = newUid();
        Dataset d = new Dataset();
        d.str(0x00080005, "CS", source.get("SpecificCharacterSet").isEmpty() ? "ISO_IR 100" : source.get("SpecificCharacterSet"));
        d.str(0x00080008, "CS", "DERIVED\\PRIMARY");
        d.str(0x00080012, "DA", now.substring(0, 8));
        d.str(0x00080013, "TM", now.substring(8));
        d.str(0x00080016, "UI", SEG_SOP_CLASS);
        d.str(0x00080018, "UI", sopInstance);
        d.str(0x00080020, "DA", source.get("StudyDate"));
        d.str(0x00080023, "DA", now.substring(0, 8));
        d.str(0x00080030, "TM", source.get("StudyTime"));
        d.str(0x00080033, "TM", now.substring(8));
        d.str(0x00080050, "SH", source.get("AccessionNumber"));
        d.str(0x00080060, "CS", "SEG");
        d.str(0x00080070, "LO", "EdgeSeg");
        d.str(0x00080090, "PN", source.get("ReferringPhysicianName"));
        d.str(0x0008103E, "LO", clip("EdgeSeg " + model, 64));
        d.str(0x00081090, "LO", clip(model, 64));
        List<Dataset> instances = new ArrayList<>();
        for (DicomSeries.SliceRef s : source.slices()) {
            instances.add(new Dataset().str(0x00081150, "UI", s.sopClassUid()).str(0x00081155, "UI", s.sopInstanceUid()));
        }
        d.seq(0x00081115, List.of(new Dataset().seq(0x0008114A, instances)
                .str(0x0020000E, "UI", source.get("SeriesInstanceUID"))));
        d.str(0x00100010, "PN", source.get("PatientName"));
        d.str(0x00100020, "LO", source.get("PatientID"));
        d.str(0x00100030, "DA", source.get("PatientBirthDate"));
        d.str(0x00100040, "CS", source.get("PatientSex"));
        d.str(0x00181000, "LO", "1");
        d.str(0x00181020, "LO", "EdgeSeg");
        d.str(0x0020000D, "UI", source.get("StudyInstanceUID"));
        d.str(0x0020000E, "UI", newUid());
        d.str(0x00200010, "SH", source.get("StudyID"));
        d.str(0x00200011, "IS", "300");
        d.str(0x00200013, "IS", "1");
        d.str(0x00200052, "UI", source.get("FrameOfReferenceUID"));
        d.str(0x00201040, "LO", source.get("PositionReferenceIndicator"));
        String dimensionOrganization = newUid();
        d.seq(0x00209221, List.of(new Dataset().str(0x00209164, "UI", dimensionOrganization)));
        d.seq(0x00209222, List.of(
                new Dataset().str(0x00209164, "UI", dimensionOrganization).at(0x00209165, 0x0062000B)
                        .at(0x00209167, 0x0062000A).str(0x00209421, "LO", "ReferencedSegmentNumber"),
                new Dataset().str(0x00209164, "UI", dimensionOrganization).at(0x00209165, 0x00200032)
                        .at(0x00209167, 0x00209113).str(0x00209421, "LO", "ImagePositionPatient")));
        int frameCount = frames.values().stream().mapToInt(List::size).sum();
        d.us(0x00280002, 1);
        d.str(0x00280004, "CS", "MONOCHROME2");
        d.str(0x00280008, "IS", Integer.toString(frameCount));
        d.us(0x00280010, rows);
        d.us(0x00280011, cols);
        d.us(0x00280100, 1);
        d.us(0x00280101, 1);
        d.us(0x00280102, 0);
        d.us(0x00280103, 0);
        d.str(0x00282110, "CS", "00");
        d.str(0x00620001, "CS", "BINARY");
        List<Dataset> segments = new ArrayList<>();
        int number = 0;
        Map<Integer, Integer> segmentNumber = new TreeMap<>();
        for (int id : frames.keySet()) {
            segmentNumber.put(id, ++number);
            String name = names.getOrDefault(id, "class " + id);
            segments.add(new Dataset()
                    .seq(0x00620003, List.of(code("91723000", "SCT", "Anatomical Structure")))
                    .us(0x00620004, number)
                    .str(0x00620005, "LO", clip(name, 64))
                    .str(0x00620008, "CS", "AUTOMATIC")
                    .str(0x00620009, "LO", clip("EdgeSeg " + model, 64))
                    .seq(0x0062000F, List.of(code(Integer.toString(id), "99EDGESEG", clip(name, 64)))));
        }
        d.seq(0x00620002, segments);
        d.str(0x00620013, "CS", "NO");
        d.str(0x00700080, "CS", "EDGESEG");
        d.str(0x00700081, "LO", "automatic segmentation");
        d.str(0x00700084, "PN", "EdgeSeg");
        double[] iop = source.orientation();
        double[] ps = source.pixelSpacing();
        d.seq(0x52009229, List.of(new Dataset()
                .seq(0x00209116, List.of(new Dataset().str(0x00200037, "DS", ds(iop))))
                .seq(0x00289110, List.of(new Dataset()
                        .str(0x00180050, "DS", ds(new double[] {source.sliceStep()}))
                        .str(0x00180088, "DS", ds(new double[] {source.sliceStep()}))
                        .str(0x00280030, "DS", ds(ps))))));
        List<Dataset> perFrame = new ArrayList<>();
        int frameBits = rows * cols;
        byte[] pixels = new byte[(int) (((long) frameCount * frameBits + 7) / 8 + 1) & ~1];
        int f = 0;
        for (Map.Entry<Integer, List<Integer>> e : frames.entrySet()) {
            int id = e.getKey();
            int seg = segmentNumber.get(id);
            for (int k : e.getValue()) {
                DicomSeries.SliceRef s = source.slices().get(k);
                perFrame.add(new Dataset()
                        .seq(0x00089124, List.of(new Dataset()
                                .seq(0x00082112, List.of(new Dataset()
                                        .str(0x00081150, "UI", s.sopClassUid())
                                        .str(0x00081155, "UI", s.sopInstanceUid())
                                        .seq(0x0040A170, List.of(code("121322", "DCM",
                                                "Source image for image processing operation")))))
                                .seq(0x00089215, List.of(code("113076", "DCM", "Segmentation")))))
                        .seq(0x00209111, List.of(new Dataset().ul(0x00209157, seg, k + 1)))
                        .seq(0x00209113, List.of(new Dataset().str(0x00200032, "DS", ds(s.position()))))
                        .seq(0x0062000A, List.of(new Dataset().us(0x0062000B, seg))));
                long base = (long) f * frameBits;
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        if (labels.get(c, r, k) == id) {
                            long bit = base + (long) r * cols + c;
                            pixels[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
                        }
                    }
                }
                f++;
            }
        }
        d.seq(0x52009230, perFrame);
        d.bytes(0x7FE00010, "OB", pixels);

        Dataset meta = new Dataset()
                .bytes(0x00020001, "OB", new byte[] {0, 1})
                .str(0x00020002, "UI", SEG_SOP_CLASS)
                .str(0x00020003, "UI", sopInstance)
                .str(0x00020010, "UI", EXPLICIT_LE)
                .str(0x00020012, "UI", IMPLEMENTATION_UID)
                .str(0x00020013, "SH", "EDGESEG");
        byte[] metaBytes = meta.encode();
        byte[] body = d.encode();
        AtomicFile.write(file, out -> {
            out.write(new byte[128]);
            out.write("DICM".getBytes(StandardCharsets.US_ASCII));
            out.write(new Dataset().ul(0x00020000, metaBytes.length).encode());
            out.write(metaBytes);
            out.write(body);
        });
        return sopInstance;
    }

    /** A UID under the 2.25 root (a UUID as a decimal integer, ITU-T X.667). */
    static String newUid() {
        UUID u = UUID.randomUUID();
        BigInteger v = new BigInteger(1, java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits()).array());
        return "2.25." + v;
    }

    private static Dataset code(String value, String scheme, String meaning) {
        return new Dataset().str(0x00080100, "SH", value).str(0x00080102, "SH", scheme).str(0x00080104, "LO", meaning);
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    /** Decimal strings of at most 16 characters each (the DS limit), backslash-separated. */
    static String ds(double[] values) {
        StringBuilder b = new StringBuilder();
        for (double v : values) {
            if (b.length() > 0) {
                b.append('\\');
            }
            String s = null;
            for (int digits = 10; digits >= 0 && (s == null || s.length() > 16); digits--) {
                s = new java.math.BigDecimal(v).setScale(digits, java.math.RoundingMode.HALF_EVEN)
                        .stripTrailingZeros().toPlainString();
            }
            if (s.length() > 16) {
                s = String.format(Locale.ROOT, "%.9E", v);
            }
            b.append(s.equals("-0") ? "0" : s);
        }
        return b.toString();
    }

    /** Elements of one data set (explicit VR little endian), kept in tag order; sequences use undefined lengths. */
    static final class Dataset {
        private final TreeMap<Integer, byte[]> elements = new TreeMap<>(Integer::compareUnsigned);

        Dataset str(int tag, String vr, String value) {
            byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
            if (v.length % 2 == 1) {
                v = java.util.Arrays.copyOf(v, v.length + 1);
                v[v.length - 1] = (byte) (vr.equals("UI") ? 0 : ' ');
            }
            return put(tag, vr, v);
        }

        Dataset us(int tag, int... values) {
            byte[] v = new byte[2 * values.length];
            for (int i = 0; i < values.length; i++) {
                v[2 * i] = (byte) values[i];
                v[2 * i + 1] = (byte) (values[i] >>> 8);
            }
            return put(tag, "US", v);
        }

        Dataset ul(int tag, long... values) {
            byte[] v = new byte[4 * values.length];
            for (int i = 0; i < values.length; i++) {
                le32(v, 4 * i, values[i]);
            }
            return put(tag, "UL", v);
        }

        Dataset at(int tag, int pointer) {
            byte[] v = new byte[4];
            tag(v, 0, pointer);
            return put(tag, "AT", v);
        }

        Dataset bytes(int tag, String vr, byte[] v) {
            return put(tag, vr, v.length % 2 == 0 ? v : java.util.Arrays.copyOf(v, v.length + 1));
        }

        Dataset seq(int tag, List<Dataset> items) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            header(o, tag, "SQ", 0xFFFFFFFFL);
            for (Dataset item : items) {
                byte[] content = item.encode();
                tagOnly(o, 0xFFFEE000, 0xFFFFFFFFL);
                o.writeBytes(content);
                tagOnly(o, 0xFFFEE00D, 0);
            }
            tagOnly(o, 0xFFFEE0DD, 0);
            elements.put(tag, o.toByteArray());
            return this;
        }

        private Dataset put(int tag, String vr, byte[] value) {
            ByteArrayOutputStream o = new ByteArrayOutputStream(value.length + 12);
            header(o, tag, vr, value.length);
            o.writeBytes(value);
            elements.put(tag, o.toByteArray());
            return this;
        }

        byte[] encode() {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            elements.values().forEach(o::writeBytes);
            return o.toByteArray();
        }

        private static void header(ByteArrayOutputStream o, int tag, String vr, long length) {
            byte[] t = new byte[4];
            tag(t, 0, tag);
            o.writeBytes(t);
            o.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
            if (List.of("OB", "OW", "OF", "OD", "OL", "SQ", "UC", "UR", "UT", "UN").contains(vr)) {
                o.writeBytes(new byte[2]);
                byte[] l = new byte[4];
                le32(l, 0, length);
                o.writeBytes(l);
            } else {
                if (length > 0xFFFF) {
                    throw new DicomFormatException(String.format("(%04X,%04X) %s value of %d bytes exceeds the 64 KiB "
                            + "a short VR can hold", tag >>> 16, tag & 0xFFFF, vr, length));
                }
                o.write((int) length);
                o.write((int) (length >>> 8));
            }
        }

        private static void tagOnly(ByteArrayOutputStream o, int tag, long length) {
            byte[] b = new byte[8];
            tag(b, 0, tag);
            le32(b, 4, length);
            o.writeBytes(b);
        }

        /** A tag as DICOM little endian writes it: group then element, each a 16-bit little-endian number. */
        private static void tag(byte[] b, int at, int tag) {
            b[at] = (byte) (tag >>> 16);
            b[at + 1] = (byte) (tag >>> 24);
            b[at + 2] = (byte) tag;
            b[at + 3] = (byte) (tag >>> 8);
        }

        private static void le32(byte[] b, int at, long v) {
            b[at] = (byte) v;
            b[at + 1] = (byte) (v >>> 8);
            b[at + 2] = (byte) (v >>> 16);
            b[at + 3] = (byte) (v >>> 24);
        }
    }
}
