package com.edgeseg.io.npy;

import com.edgeseg.io.AtomicFile;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0 to 3.0 read, 1.0 written; little-endian,
 * C order, the types of {@link NpyDType}). The header is the Python-literal dict
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }} padded to a multiple of 64 bytes.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    public static NpyArray read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new NpyFormatException(file + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    /** Reads one array from a stream positioned at the magic string; {@code source} names it in errors. */
    public static NpyArray read(InputStream stream, String source) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        byte[] magic = new byte[8];
        try {
            in.readFully(magic);
        } catch (EOFException e) {
            throw new NpyFormatException(source + ": too short for a .npy file");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (magic[i] != MAGIC[i]) {
                throw new NpyFormatException(source + ": not a .npy file (expected the \\x93NUMPY magic string)");
            }
        }
        int major = magic[6];
        long headerLen;
        try {
            if (major == 1) {
                headerLen = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
            } else if (major == 2 || major == 3) {
                headerLen = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
            } else {
                throw new NpyFormatException(source + ": unsupported .npy format version " + major + " (expected 1, 2 or 3)");
            }
            if (headerLen > 1 << 20) {
                throw new NpyFormatException(source + ": header of " + headerLen + " bytes is implausibly long");
            }
            byte[] header = new byte[(int) headerLen];
            in.readFully(header);
            String h = new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            NpyDType dtype = parseDType(h, source);
            long[] shape = parseShape(h, source);
            Matcher f = FORTRAN.matcher(h);
            if (!f.find()) {
                throw new NpyFormatException(source + ": header has no 'fortran_order': " + h.trim());
            }
            if (f.group(1).equals("True")) {
                throw new NpyFormatException(source + ": Fortran-order array; expected C order");
            }
            long bytes = NpyArray.count(shape) * dtype.byteSize();
            if (bytes > Integer.MAX_VALUE - 16) {
                throw new NpyFormatException(source + ": array of " + bytes + " bytes is too large (limit 2 GiB)");
            }
            byte[] data = new byte[(int) bytes];
            in.readFully(data);
            return new NpyArray(dtype, shape, ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN));
        } catch (EOFException e) {
            throw new NpyFormatException(source + ": truncated (file ends before the data the header announces)");
        }
    }

    private static NpyDType parseDType(String h, String source) {
        Matcher m = DESCR.matcher(h);
        if (!m.find()) {
            throw new NpyFormatException(source + ": header has no 'descr': " + h.trim());
        }
        NpyDType t = NpyDType.fromDescr(m.group(1));
        if (t == null) {
            throw new NpyFormatException(source + ": unsupported dtype '" + m.group(1)
                    + "' (expected little-endian float32, float64, int64, int32, uint8 or bool)");
        }
        return t;
    }

    private static long[] parseShape(String h, String source) {
        Matcher m = SHAPE.matcher(h);
        if (!m.find()) {
            throw new NpyFormatException(source + ": header has no 'shape': " + h.trim());
        }
        List<Long> dims = new ArrayList<>();
        for (String part : m.group(1).split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            try {
                long d = Long.parseLong(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
                if (d < 0) {
                    throw new NumberFormatException();
                }
                dims.add(d);
            } catch (NumberFormatException e) {
                throw new NpyFormatException(source + ": bad shape (" + m.group(1) + ")");
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    /** Writes {@code array} atomically (a temporary file in the same folder, then a rename). */
    public static void write(Path file, NpyArray array) {
        AtomicFile.write(file, out -> write(out, array));
    }

    /** Writes a format 1.0 {@code .npy} image of {@code array} to a stream. */
    public static void write(OutputStream out, NpyArray array) throws IOException {
        out.write(header(array));
        Channels.newChannel(out).write(array.bytes());
    }

    static byte[] header(NpyArray array) {
        long[] shape = array.shape();
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        s.append(shape.length == 1 ? ",)" : ")");
        String dict = "{'descr': '" + array.dtype().descr() + "', 'fortran_order': False, 'shape': " + s + ", }";
        if (shape.length > 0) {
            // numpy >= 1.23 leaves room for the first axis to grow to 21 digits; doing the same keeps files byte-identical
            dict += " ".repeat(Math.max(0, 21 - Long.toString(shape[0]).length()));
        }
        int prefix = MAGIC.length + 2 + 2;
        int pad = ALIGN - (prefix + dict.length() + 1) % ALIGN;
        if (pad == ALIGN) {
            pad = 0;
        }
        int len = dict.length() + pad + 1;
        if (len > 0xFFFF) {
            throw new IllegalArgumentException("shape too long for a format 1.0 header");
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream(prefix + len);
        b.writeBytes(MAGIC);
        b.write(1);
        b.write(0);
        b.write(len & 0xFF);
        b.write(len >>> 8);
        b.writeBytes(dict.getBytes(StandardCharsets.ISO_8859_1));
        b.writeBytes(" ".repeat(pad).getBytes(StandardCharsets.ISO_8859_1));
        b.write('\n');
        return b.toByteArray();
    }
}
