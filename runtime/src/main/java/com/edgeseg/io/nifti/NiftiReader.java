package com.edgeseg.io.nifti;

import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.volume.Volume;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads single-file NIfTI-1/NIfTI-2 volumes ({@code .nii}, or gzip-compressed whatever the name) the way
 * the reference loader does (§3.1 step 1): voxels with scl_slope/scl_inter applied in double precision and
 * then stored as float32, and the RAS+ affine nibabel reports after MONAI's header fix-up. Voxels are
 * transposed from the file's Fortran order into EdgeSeg's C order with axis 0 = NIfTI i.
 */
public final class NiftiReader {
    private NiftiReader() {
    }

    /** Reads a CT (or any scalar) volume as float32. */
    public static Volume read(Path file) {
        return (Volume) readInternal(file, false);
    }

    /**
     * Reads a label map. Stored values (after scaling) must be integers in 0..255, otherwise
     * {@link NiftiFormatException} names the first offending voxel.
     */
    public static LabelVolume readLabels(Path file) {
        return (LabelVolume) readInternal(file, true);
    }

    /** The affine the reference would use for {@code file}, without reading the voxels. */
    public static Geometry readGeometry(Path file) {
        try (InputStream in = open(file)) {
            NiftiHeader h = readHeader(in, file);
            return Geometry.of(Dims.of(h.spatialDims()), h.monaiAffine());
        } catch (IOException e) {
            throw ioFailure(file, e);
        }
    }

    private static Object readInternal(Path file, boolean labels) {
        try (InputStream in = open(file)) {
            NiftiHeader h = readHeader(in, file);
            int[] n = h.spatialDims();
            Dims dims;
            try {
                dims = Dims.of(n);
                dims.voxelCount();
            } catch (ArithmeticException e) {
                throw new NiftiFormatException(file + ": " + n[0] + "x" + n[1] + "x" + n[2] + " voxels is more than one array can hold");
            }
            checkLength(file, h, dims);
            Affine affine = h.monaiAffine();
            Geometry geometry = Geometry.of(dims, affine);
            long headerBytes = h.version == 1 ? NiftiHeader.NIFTI1_SIZE : NiftiHeader.NIFTI2_SIZE;
            skipFully(in, h.voxOffset - headerBytes, file, "the extensions before the voxel data");
            return labels ? readLabelData(in, h, geometry, file) : readFloatData(in, h, geometry, file);
        } catch (EOFException e) {
            throw new NiftiFormatException(file + ": truncated file (" + e.getMessage() + ")", e);
        } catch (ZipException e) {
            throw new NiftiFormatException(file + ": corrupt gzip stream (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw ioFailure(file, e);
        }
    }

    /**
     * Refuses a header whose voxel data the file cannot hold, before any voxel buffer is allocated: a plain file
     * must be at least {@code vox_offset + voxels × bytes} long; a gzip file's trailer (ISIZE, the uncompressed
     * length modulo 2^32) must be at least that, so gzip input is limited to {@link #MAX_GZIP_BYTES}.
     */
    private static void checkLength(Path file, NiftiHeader h, Dims dims) throws IOException {
        long voxels = (long) dims.n0() * dims.n1() * dims.n2();
        if (voxels > MAX_VOXELS) {
            throw new NiftiFormatException(file + ": " + dims + " is " + voxels + " voxels; expected at most "
                    + MAX_VOXELS + " (one array of a volume)");
        }
        long needed = h.voxOffset + voxels * h.type.bytes;
        long size = Files.size(file);
        boolean gzip;
        try (InputStream raw = Files.newInputStream(file)) {
            gzip = raw.read() == 0x1f && raw.read() == 0x8b;
        }
        if (!gzip) {
            if (size < needed) {
                throw new NiftiFormatException(file + ": truncated file: the header describes " + dims + " "
                        + h.type.name().toLowerCase() + " voxels from byte " + h.voxOffset + ", i.e. " + needed
                        + " bytes; expected a file of at least that length, it has " + size);
            }
            return;
        }
        if (needed > MAX_GZIP_BYTES) {
            throw new NiftiFormatException(file + ": the header describes " + needed + " uncompressed bytes; expected"
                    + " at most " + MAX_GZIP_BYTES + " for gzip input (decompress larger volumes to .nii)");
        }
        if (size < 18) {
            throw new NiftiFormatException(file + ": truncated gzip stream (" + size + " bytes)");
        }
        long isize;
        try (java.nio.channels.SeekableByteChannel ch = Files.newByteChannel(file)) {
            ByteBuffer tail = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            ch.position(size - 4);
            while (tail.hasRemaining() && ch.read(tail) >= 0) {
                // read the 4 trailer bytes
            }
            isize = Integer.toUnsignedLong(tail.flip().getInt());
        }
        if (isize < needed) {
            throw new NiftiFormatException(file + ": truncated file: the header describes " + dims + " "
                    + h.type.name().toLowerCase() + " voxels from byte " + h.voxOffset + ", i.e. " + needed
                    + " uncompressed bytes; expected at least that, the gzip stream holds " + isize);
        }
    }

    /** Largest volume the reader takes (voxels): one Java array. */
    public static final long MAX_VOXELS = Integer.MAX_VALUE - 8;
    /** Largest uncompressed gzip input: the gzip trailer records the length modulo 2^32 only. */
    public static final long MAX_GZIP_BYTES = (1L << 32) - 1;

    private static RuntimeException ioFailure(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new NiftiFormatException("no such file: " + file, e);
        }
        if (Files.isDirectory(file)) {
            return new NiftiFormatException(file + " is a directory; expected a .nii or .nii.gz file", e);
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return new NiftiFormatException(file + " cannot be read (permission denied); expected a readable file", e);
        }
        if (e instanceof EOFException) {
            return new NiftiFormatException(file + ": truncated file (" + e.getMessage() + ")", e);
        }
        if (e instanceof ZipException) {
            return new NiftiFormatException(file + ": corrupt gzip stream (" + e.getMessage() + ")", e);
        }
        return new UncheckedIOException("reading " + file, e);
    }

    private static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
        }
        return raw;
    }

    private static NiftiHeader readHeader(InputStream in, Path file) throws IOException {
        byte[] raw = new byte[NiftiHeader.NIFTI2_SIZE];
        int got = readUpTo(in, raw, 0, NiftiHeader.NIFTI1_SIZE);
        if (got < NiftiHeader.NIFTI1_SIZE) {
            if (got >= 4) {
                NiftiHeader.parse(raw, got); // throws the precise "not NIfTI" or "truncated header" message
            }
            throw new NiftiFormatException(file + ": not a NIfTI file (" + got + " bytes; expected at least a 348-byte header)");
        }
        try {
            return NiftiHeader.parse(raw, got);
        } catch (NiftiFormatException e) {
            if (e.getMessage().startsWith("truncated NIfTI header")) {
                // a NIfTI-2 header is longer than what was read so far
                got += readUpTo(in, raw, got, NiftiHeader.NIFTI2_SIZE - got);
                try {
                    return NiftiHeader.parse(raw, got);
                } catch (NiftiFormatException e2) {
                    throw new NiftiFormatException(file + ": " + e2.getMessage());
                }
            }
            throw new NiftiFormatException(file + ": " + e.getMessage());
        }
    }

    private static int readUpTo(InputStream in, byte[] buf, int off, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int r = in.read(buf, off + total, len - total);
            if (r < 0) {
                break;
            }
            total += r;
        }
        return total;
    }

    private static void skipFully(InputStream in, long n, Path file, String what) throws IOException {
        byte[] scratch = new byte[8192];
        long left = n;
        while (left > 0) {
            int r = in.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (r < 0) {
                throw new NiftiFormatException(file + ": truncated file: ended inside " + what);
            }
            left -= r;
        }
    }

    /** Reads one k-plane (file order: i fastest, then j) into {@code buf}; fails with the voxel count read so far. */
    private static ByteBuffer readPlane(InputStream in, byte[] buf, NiftiHeader h, int k, Dims d, Path file) throws IOException {
        int got = readUpTo(in, buf, 0, buf.length);
        if (got < buf.length) {
            long expected = (long) d.voxelCount() * h.type.bytes;
            long have = (long) k * buf.length + got;
            throw new NiftiFormatException(file + ": truncated voxel data: expected " + expected + " bytes ("
                    + d + " " + h.type.name().toLowerCase() + "), file ends after " + have);
        }
        return ByteBuffer.wrap(buf).order(h.order);
    }

    /** Receives each voxel's scaled value with its index; may refuse the value with a typed error. */
    @FunctionalInterface
    private interface VoxelSink {
        void accept(int i, int j, int k, int index, double value);
    }

    /** Streams the voxel data plane by plane (file order), applying scl_slope/scl_inter as nibabel does. */
    private static void readVoxels(InputStream in, NiftiHeader h, Dims d, Path file, VoxelSink sink) throws IOException {
        int n0 = d.n0(), n1 = d.n1(), n2 = d.n2();
        double[] scale = h.scaling();
        long planeBytes = (long) n0 * n1 * h.type.bytes;
        if (planeBytes > Integer.MAX_VALUE - 8) {
            throw new NiftiFormatException(file + ": one plane of " + d + " is " + planeBytes + " bytes; expected at"
                    + " most " + (Integer.MAX_VALUE - 8));
        }
        byte[] plane = new byte[(int) planeBytes];
        for (int k = 0; k < n2; k++) {
            ByteBuffer b = readPlane(in, plane, h, k, d, file);
            for (int j = 0; j < n1; j++) {
                for (int i = 0; i < n0; i++) {
                    double v = h.type.read(b);
                    if (scale != null) {
                        // nibabel: two separate float64 operations (MONAI then casts to float32)
                        if (scale[0] != 1.0) {
                            v = v * scale[0];
                        }
                        if (scale[1] != 0.0) {
                            v = v + scale[1];
                        }
                    }
                    sink.accept(i, j, k, (i * n1 + j) * n2 + k, v);
                }
            }
        }
    }

    private static Volume readFloatData(InputStream in, NiftiHeader h, Geometry g, Path file) throws IOException {
        float[] out = new float[g.dims().voxelCount()];
        readVoxels(in, h, g.dims(), file, (i, j, k, index, v) -> out[index] = (float) v);
        return Volume.wrap(g, out);
    }

    private static LabelVolume readLabelData(InputStream in, NiftiHeader h, Geometry g, Path file) throws IOException {
        byte[] out = new byte[g.dims().voxelCount()];
        readVoxels(in, h, g.dims(), file, (i, j, k, index, v) -> {
            if (!(v >= 0 && v <= 255 && v == Math.rint(v))) {
                throw new NiftiFormatException(file + ": label value " + v + " at voxel (" + i + ", " + j + ", " + k
                        + "); expected integer labels 0..255");
            }
            out[index] = (byte) (int) v;
        });
        return LabelVolume.wrap(g, out);
    }
}
