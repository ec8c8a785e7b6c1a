package com.edgeseg.io.dicom;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The top-level elements of one DICOM Part 10 file that a CT series reader needs: the file meta group (always
 * explicit VR little endian) and the data set in explicit or implicit VR little endian. Sequences are skipped (also
 * with undefined lengths), native pixel data are kept as bytes, encapsulated JPEG 2000 pixel data as the one
 * frame's codestream (its fragments joined); any other transfer syntax (JPEG lossless, big endian, deflate, RLE)
 * is refused with a {@link DicomFormatException} that names it.
 */
final class DicomFile {
    static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    /** JPEG 2000 (lossless and lossy): decoded through the jai-imageio plug-in. */
    static final Set<String> JPEG2000 = Set.of("1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91");
    private static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN",
            "UR", "UT", "UV");
    private static final long UNDEFINED = 0xFFFFFFFFL;
    static final int PIXEL_DATA = 0x7FE00010;
    private static final Map<String, String> SYNTAX_NAMES = Map.of(
            "1.2.840.10008.1.2.4.90", "JPEG 2000 lossless",
            "1.2.840.10008.1.2.4.91", "JPEG 2000",
            "1.2.840.10008.1.2.4.70", "JPEG lossless (process 14, SV1)",
            "1.2.840.10008.1.2.4.57", "JPEG lossless (process 14)",
            "1.2.840.10008.1.2.4.50", "JPEG baseline",
            "1.2.840.10008.1.2.2", "explicit VR big endian",
            "1.2.840.10008.1.2.1.99", "deflated explicit VR little endian",
            "1.2.840.10008.1.2.5", "RLE lossless");

    final Path path;
    final String transferSyntax;
    /** Pixel data holds a compressed codestream (JPEG 2000), not native pixels. */
    boolean encapsulated;
    private final Map<Integer, byte[]> values = new HashMap<>();

    private DicomFile(Path path, String transferSyntax) {
        this.path = path;
        this.transferSyntax = transferSyntax;
    }

    /** Reads {@code path}; {@code null} when it is not a DICOM file (no "DICM" marker after the preamble). */
    static DicomFile read(Path path) {
        byte[] all;
        try {
            all = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new DicomFormatException(path + " cannot be read (" + e.getMessage() + "); expected a readable file");
        }
        if (all.length < 132 || all[128] != 'D' || all[129] != 'I' || all[130] != 'C' || all[131] != 'M') {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        b.position(132);
        // file meta: explicit VR LE, group 0002
        String syntax = null;
        while (b.remaining() >= 8 && b.getShort(b.position()) == 0x0002) {
            int tag = readTag(b);
            long len = explicitLength(b, path);
            byte[] v = take(b, len, path, tag);
            if (tag == 0x00020010) {
                syntax = text(v);
            }
        }
        if (syntax == null) {
            throw new DicomFormatException(path + ": no TransferSyntaxUID (0002,0010) in the file meta; expected a "
                    + "DICOM Part 10 file");
        }
        if (!syntax.equals(IMPLICIT_LE) && !syntax.equals(EXPLICIT_LE) && !JPEG2000.contains(syntax)) {
            throw new DicomFormatException(path + ": transfer syntax " + syntax + " ("
                    + SYNTAX_NAMES.getOrDefault(syntax, "not supported") + ") is not supported yet; expected implicit "
                    + "or explicit VR little endian, or JPEG 2000");
        }
        DicomFile f = new DicomFile(path, syntax);
        boolean explicit = !syntax.equals(IMPLICIT_LE);
        while (b.remaining() >= 8) {
            int tag = readTag(b);
            long len;
            boolean sequence = false;
            if (explicit) {
                String vr = new String(new byte[] {b.get(b.position()), b.get(b.position() + 1)}, StandardCharsets.US_ASCII);
                sequence = vr.equals("SQ");
                len = explicitLength(b, path);
            } else {
                len = Integer.toUnsignedLong(b.getInt());
            }
            if (len == UNDEFINED) {
                if (tag == PIXEL_DATA) {
                    if (!JPEG2000.contains(syntax)) {
                        throw new DicomFormatException(path + ": encapsulated pixel data under " + syntax
                                + "; expected native pixels");
                    }
                    f.values.put(tag, fragments(b, path));
                    f.encapsulated = true;
                    continue;
                }
                skipUndefined(b, explicit, path);
                continue;
            }
            byte[] v = take(b, len, path, tag);
            if (!sequence) {
                f.values.put(tag, v);
            }
        }
        return f;
    }

    /** The fragments of encapsulated pixel data after the basic offset table, joined (one frame). */
    private static byte[] fragments(ByteBuffer b, Path path) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        boolean offsetTable = true;
        while (b.remaining() >= 8) {
            int tag = readTag(b);
            long len = Integer.toUnsignedLong(b.getInt());
            if (tag == 0xFFFEE0DD) {
                return out.toByteArray();
            }
            if (tag != 0xFFFEE000 || len == UNDEFINED) {
                throw new DicomFormatException(String.format("%s: (%04X,%04X) in encapsulated pixel data; expected "
                        + "items of defined length", path, tag >>> 16, tag & 0xFFFF));
            }
            byte[] item = take(b, len, path, tag);
            if (!offsetTable) {
                out.write(item, 0, item.length);
            }
            offsetTable = false;
        }
        throw new DicomFormatException(path + ": encapsulated pixel data without a sequence delimiter; expected a "
                + "complete file");
    }

    private static int readTag(ByteBuffer b) {
        int group = Short.toUnsignedInt(b.getShort());
        int element = Short.toUnsignedInt(b.getShort());
        return group << 16 | element;
    }

    private static long explicitLength(ByteBuffer b, Path path) {
        String vr = new String(new byte[] {b.get(), b.get()}, StandardCharsets.US_ASCII);
        if (LONG_VRS.contains(vr)) {
            b.getShort();
            return Integer.toUnsignedLong(b.getInt());
        }
        if (!vr.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
            throw new DicomFormatException(path + ": value representation '" + vr + "' at byte " + (b.position() - 2)
                    + " is not one; expected explicit VR little endian");
        }
        return Short.toUnsignedInt(b.getShort());
    }

    private static byte[] take(ByteBuffer b, long len, Path path, int tag) {
        if (len > b.remaining()) {
            throw new DicomFormatException(String.format("%s: element (%04X,%04X) claims %d bytes, %d are left; expected "
                    + "a complete file", path, tag >>> 16, tag & 0xFFFF, len, b.remaining()));
        }
        byte[] v = new byte[(int) len];
        b.get(v);
        return v;
    }

    /** Skips a sequence of undefined length (items of defined or undefined length) up to its delimiter. */
    private static void skipUndefined(ByteBuffer b, boolean explicit, Path path) {
        while (b.remaining() >= 8) {
            int tag = readTag(b);
            long len = Integer.toUnsignedLong(b.getInt());
            if (tag == 0xFFFEE0DD) {
                return; // sequence delimitation
            }
            if (tag != 0xFFFEE000) {
                throw new DicomFormatException(String.format("%s: (%04X,%04X) inside a sequence; expected an item",
                        path, tag >>> 16, tag & 0xFFFF));
            }
            if (len != UNDEFINED) {
                take(b, len, path, tag);
                continue;
            }
            // an item of undefined length: elements up to the item delimitation
            while (b.remaining() >= 8) {
                int t = readTag(b);
                if (t == 0xFFFEE00D) {
                    b.getInt();
                    break;
                }
                long l;
                l = explicit ? explicitLength(b, path) : Integer.toUnsignedLong(b.getInt());
                if (l == UNDEFINED) {
                    skipUndefined(b, explicit, path);
                    continue;
                }
                take(b, l, path, t);
            }
        }
    }

    private static String text(byte[] v) {
        return new String(v, StandardCharsets.ISO_8859_1).replace("\0", "").trim();
    }

    boolean has(int tag) {
        return values.containsKey(tag);
    }

    String string(int tag) {
        byte[] v = values.get(tag);
        return v == null ? "" : text(v);
    }

    /** A decimal string (DS/IS), possibly multi-valued; throws naming the tag when absent or malformed. */
    double[] numbers(int tag, int count, String name) {
        String s = string(tag);
        String[] parts = s.isEmpty() ? new String[0] : s.split("\\\\");
        if (parts.length != count) {
            throw new DicomFormatException(String.format("%s: %s (%04X,%04X) is '%s'; expected %d value(s)", path, name,
                    tag >>> 16, tag & 0xFFFF, s, count));
        }
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            try {
                out[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new DicomFormatException(String.format("%s: %s (%04X,%04X) value '%s' is not a number; expected a "
                        + "decimal string", path, name, tag >>> 16, tag & 0xFFFF, parts[i]));
            }
            if (!Double.isFinite(out[i])) {
                throw new DicomFormatException(path + ": " + name + " is not finite; expected a finite number");
            }
        }
        return out;
    }

    int unsignedShort(int tag, String name) {
        byte[] v = values.get(tag);
        if (v == null || v.length < 2) {
            throw new DicomFormatException(String.format("%s: no %s (%04X,%04X); expected it in a CT image", path, name,
                    tag >>> 16, tag & 0xFFFF));
        }
        return Short.toUnsignedInt(ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN).getShort());
    }

    byte[] bytes(int tag) {
        return values.get(tag);
    }

    /**
     * The pixels of a single-frame grey-scale image as stored values (before rescale), row by row, decoding JPEG 2000
     * when the pixel data are encapsulated.
     */
    int[] storedPixels(int rows, int cols, boolean signed) {
        byte[] px = values.get(PIXEL_DATA);
        int[] out = new int[rows * cols];
        if (!encapsulated) {
            if (px.length < 2L * rows * cols) {
                throw new DicomFormatException(path + ": " + px.length + " bytes of pixel data; expected "
                        + (2L * rows * cols) + " (" + rows + "x" + cols + " x 16 bits)");
            }
            ByteBuffer b = ByteBuffer.wrap(px).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < out.length; i++) {
                short raw = b.getShort();
                out[i] = signed ? raw : Short.toUnsignedInt(raw);
            }
            return out;
        }
        java.util.Iterator<javax.imageio.ImageReader> readers = javax.imageio.ImageIO.getImageReadersByFormatName("jpeg2000");
        if (!readers.hasNext()) {
            throw new DicomFormatException(path + ": no JPEG 2000 decoder on the class path; expected jai-imageio-jpeg2000");
        }
        javax.imageio.ImageReader reader = readers.next();
        try (javax.imageio.stream.ImageInputStream in = javax.imageio.ImageIO.createImageInputStream(
                new java.io.ByteArrayInputStream(px))) {
            reader.setInput(in);
            java.awt.image.Raster r = reader.read(0).getRaster();
            if (r.getWidth() != cols || r.getHeight() != rows) {
                throw new DicomFormatException(path + ": the JPEG 2000 image is " + r.getHeight() + "x" + r.getWidth()
                        + "; expected Rows x Columns " + rows + "x" + cols);
            }
            r.getSamples(0, 0, cols, rows, 0, out);
            if (signed) {
                // 16-bit signed samples come back as unsigned shorts
                for (int i = 0; i < out.length; i++) {
                    out[i] = (short) out[i];
                }
            }
            return out;
        } catch (IOException | RuntimeException e) {
            if (e instanceof DicomFormatException d) {
                throw d;
            }
            throw new DicomFormatException(path + ": the JPEG 2000 pixel data cannot be decoded (" + e.getMessage()
                    + "); expected a valid codestream");
        } finally {
            reader.dispose();
        }
    }
}
