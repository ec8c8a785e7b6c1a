package com.edgeseg.io.nifti;

import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.io.AtomicFile;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.volume.Volume;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes single-file NIfTI-1 volumes (little-endian; gzip-compressed when the name ends in {@code .gz}).
 * The geometry's affine goes into the sform exactly (as float32, the format's precision) and into the
 * qform as its closest rotation, both with code 1 (scanner); pixdim holds the column norms. Files are
 * written to a temporary name in the target folder and moved into place, so a failure leaves no
 * partial output.
 */
public final class NiftiWriter {
    private static final int VOX_OFFSET = 352;

    private NiftiWriter() {
    }

    /** Writes a float32 volume. */
    public static void write(Path file, Volume volume) {
        Dims d = volume.dims();
        writeAtomically(file, volume.geometry(), NiftiDataType.FLOAT32, out -> {
            int n0 = d.n0(), n1 = d.n1(), n2 = d.n2();
            ByteBuffer plane = ByteBuffer.allocate(n0 * n1 * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < n2; k++) {
                plane.clear();
                for (int j = 0; j < n1; j++) {
                    for (int i = 0; i < n0; i++) {
                        plane.putFloat(volume.getFlat((i * n1 + j) * n2 + k));
                    }
                }
                out.write(plane.array(), 0, plane.position());
            }
        });
    }

    /** Writes a label map as uint8. */
    public static void writeLabels(Path file, LabelVolume labels) {
        Dims d = labels.dims();
        writeAtomically(file, labels.geometry(), NiftiDataType.UINT8, out -> {
            int n0 = d.n0(), n1 = d.n1(), n2 = d.n2();
            byte[] plane = new byte[n0 * n1];
            for (int k = 0; k < n2; k++) {
                int p = 0;
                for (int j = 0; j < n1; j++) {
                    for (int i = 0; i < n0; i++) {
                        plane[p++] = (byte) labels.getFlat((i * n1 + j) * n2 + k);
                    }
                }
                out.write(plane);
            }
        });
    }

    private interface Body {
        void write(OutputStream out) throws IOException;
    }

    private static void writeAtomically(Path file, Geometry g, NiftiDataType type, Body body) {
        boolean gz = file.getFileName().toString().toLowerCase().endsWith(".gz");
        AtomicFile.write(file, fileOut -> {
            try (OutputStream out = new BufferedOutputStream(gz ? new GZIPOutputStream(fileOut, 1 << 16) : fileOut,
                    1 << 16)) {
                out.write(header(g, type));
                body.write(out);
            }
        });
    }

    static byte[] header(Geometry g, NiftiDataType type) {
        ByteBuffer b = ByteBuffer.allocate(VOX_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
        Dims d = g.dims();
        Affine a = g.indexToWorld();
        double[][] m = new double[4][4];
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                m[r][c] = a.get(r, c);
            }
        }
        NiftiHeader.QformFields q = NiftiHeader.QformFields.of(m);
        b.putInt(0, NiftiHeader.NIFTI1_SIZE);
        b.put(39, (byte) 0); // dim_info
        short[] dim = {3, (short) d.n0(), (short) d.n1(), (short) d.n2(), 1, 1, 1, 1};
        if (d.n0() > Short.MAX_VALUE || d.n1() > Short.MAX_VALUE || d.n2() > Short.MAX_VALUE) {
            throw new IllegalArgumentException("NIfTI-1 holds at most 32767 voxels per axis, grid is " + d);
        }
        for (int i = 0; i < 8; i++) {
            b.putShort(40 + 2 * i, dim[i]);
        }
        b.putShort(70, (short) type.code);
        b.putShort(72, (short) (type.bytes * 8));
        float[] pixdim = {(float) q.qfac, (float) q.zooms[0], (float) q.zooms[1], (float) q.zooms[2], 1, 1, 1, 1};
        for (int i = 0; i < 8; i++) {
            b.putFloat(76 + 4 * i, pixdim[i]);
        }
        b.putFloat(108, VOX_OFFSET);
        b.putFloat(112, 1f); // scl_slope
        b.putFloat(116, 0f); // scl_inter
        b.put(123, (byte) 2); // xyzt_units: millimetres
        byte[] descrip = "EdgeSeg".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < descrip.length; i++) {
            b.put(148 + i, descrip[i]);
        }
        b.putShort(252, (short) 1); // qform_code scanner
        b.putShort(254, (short) 1); // sform_code scanner
        b.putFloat(256, (float) q.b);
        b.putFloat(260, (float) q.c);
        b.putFloat(264, (float) q.d);
        b.putFloat(268, (float) m[0][3]);
        b.putFloat(272, (float) m[1][3]);
        b.putFloat(276, (float) m[2][3]);
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                b.putFloat(280 + 16 * r + 4 * c, (float) m[r][c]);
            }
        }
        b.put(344, (byte) 'n');
        b.put(345, (byte) '+');
        b.put(346, (byte) '1');
        b.put(347, (byte) 0);
        return b.array();
    }
}
