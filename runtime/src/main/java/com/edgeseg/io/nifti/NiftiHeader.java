package com.edgeseg.io.nifti;

import com.edgeseg.geometry.Affine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The fields of a NIfTI-1 or NIfTI-2 header that decide voxel layout, scaling and geometry, and the world
 * affine the reference pipeline sees: nibabel's "best affine" (sform if coded, else qform, else the
 * pixdim fallback) after nibabel's load-time fixes and MONAI's header fix-up (§3.1 step 1, §8 Q50).
 */
final class NiftiHeader {
    static final int NIFTI1_SIZE = 348;
    static final int NIFTI2_SIZE = 540;

    int version;
    ByteOrder order;
    final long[] dim = new long[8];
    final double[] pixdim = new double[8];
    NiftiDataType type;
    long voxOffset;
    double sclSlope;
    double sclInter;
    int qformCode;
    int sformCode;
    double quatB, quatC, quatD, qoffX, qoffY, qoffZ;
    final double[][] srow = new double[3][4];

    /** Parses a header; {@code raw} holds at least the first 348 bytes (540 for NIfTI-2). */
    static NiftiHeader parse(byte[] raw, int length) {
        if (length < 4) {
            throw new NiftiFormatException("not a NIfTI file: only " + length + " bytes; expected a 348-byte NIfTI-1 or 540-byte NIfTI-2 header");
        }
        NiftiHeader h = new NiftiHeader();
        ByteBuffer b = ByteBuffer.wrap(raw, 0, length);
        int sizeLe = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        int sizeBe = b.order(ByteOrder.BIG_ENDIAN).getInt(0);
        if (sizeLe == NIFTI1_SIZE || sizeLe == NIFTI2_SIZE) {
            h.order = ByteOrder.LITTLE_ENDIAN;
            h.version = sizeLe == NIFTI1_SIZE ? 1 : 2;
        } else if (sizeBe == NIFTI1_SIZE || sizeBe == NIFTI2_SIZE) {
            h.order = ByteOrder.BIG_ENDIAN;
            h.version = sizeBe == NIFTI1_SIZE ? 1 : 2;
        } else {
            throw new NiftiFormatException("not a NIfTI file: header size field is " + sizeLe
                    + "; expected 348 (NIfTI-1) or 540 (NIfTI-2)");
        }
        int need = h.version == 1 ? NIFTI1_SIZE : NIFTI2_SIZE;
        if (length < need) {
            throw new NiftiFormatException("truncated NIfTI header: " + length + " bytes, expected " + need);
        }
        b.order(h.order);
        if (h.version == 1) {
            h.parse1(b, raw);
        } else {
            h.parse2(b, raw);
        }
        h.applyNibabelFixes();
        return h;
    }

    private void parse1(ByteBuffer b, byte[] raw) {
        String magic = new String(raw, 344, 3, StandardCharsets.ISO_8859_1);
        if (magic.equals("ni1")) {
            throw new NiftiFormatException("NIfTI-1 header/image pair (.hdr/.img) is not supported; expected a single-file .nii or .nii.gz (magic n+1)");
        }
        if (!magic.equals("n+1")) {
            throw new NiftiFormatException("not a NIfTI-1 file: magic is '" + printable(magic) + "', expected 'n+1'");
        }
        for (int i = 0; i < 8; i++) {
            dim[i] = b.getShort(40 + 2 * i);
            pixdim[i] = b.getFloat(76 + 4 * i);
        }
        type = NiftiDataType.ofCode(b.getShort(70));
        voxOffset = (long) b.getFloat(108);
        sclSlope = b.getFloat(112);
        sclInter = b.getFloat(116);
        qformCode = b.getShort(252);
        sformCode = b.getShort(254);
        quatB = b.getFloat(256);
        quatC = b.getFloat(260);
        quatD = b.getFloat(264);
        qoffX = b.getFloat(268);
        qoffY = b.getFloat(272);
        qoffZ = b.getFloat(276);
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                srow[r][c] = b.getFloat(280 + 16 * r + 4 * c);
            }
        }
        // nibabel raises a too-small single-file offset to the minimum (header + 4 extension bytes)
        voxOffset = Math.max(voxOffset, 352);
    }

    private void parse2(ByteBuffer b, byte[] raw) {
        String magic = new String(raw, 4, 3, StandardCharsets.ISO_8859_1);
        if (magic.equals("ni2")) {
            throw new NiftiFormatException("NIfTI-2 header/image pair is not supported; expected a single-file .nii or .nii.gz (magic n+2)");
        }
        if (!magic.equals("n+2")) {
            throw new NiftiFormatException("not a NIfTI-2 file: magic is '" + printable(magic) + "', expected 'n+2'");
        }
        type = NiftiDataType.ofCode(b.getShort(12));
        for (int i = 0; i < 8; i++) {
            dim[i] = b.getLong(16 + 8 * i);
            pixdim[i] = b.getDouble(104 + 8 * i);
        }
        voxOffset = Math.max(b.getLong(168), 544);
        sclSlope = b.getDouble(176);
        sclInter = b.getDouble(184);
        qformCode = b.getInt(344);
        sformCode = b.getInt(348);
        quatB = b.getDouble(352);
        quatC = b.getDouble(360);
        quatD = b.getDouble(368);
        qoffX = b.getDouble(376);
        qoffY = b.getDouble(384);
        qoffZ = b.getDouble(392);
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                srow[r][c] = b.getDouble(400 + 32 * r + 8 * c);
            }
        }
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** The fixes nibabel applies silently on load (its header "check_fix" battery). */
    private void applyNibabelFixes() {
        for (int i = 1; i <= 3; i++) {
            pixdim[i] = Math.abs(pixdim[i]);
        }
        if (pixdim[0] != 1 && pixdim[0] != -1) {
            pixdim[0] = 1;
        }
        if (qformCode < 0 || qformCode > 4) {
            qformCode = 0;
        }
        if (sformCode < 0 || sformCode > 4) {
            sformCode = 0;
        }
    }

    /** Spatial sizes (dim[1..3], 1 where the header has fewer dimensions), after checking it is one volume. */
    int[] spatialDims() {
        int nd = (int) dim[0];
        if (nd < 1 || nd > 7) {
            throw new NiftiFormatException("invalid NIfTI dim[0] = " + nd + "; expected 1..7");
        }
        int[] n = {1, 1, 1};
        for (int i = 1; i <= nd; i++) {
            if (dim[i] < 1) {
                throw new NiftiFormatException("invalid NIfTI size dim[" + i + "] = " + dim[i] + "; expected >= 1");
            }
            if (i <= 3) {
                if (dim[i] > Integer.MAX_VALUE) {
                    throw new NiftiFormatException("NIfTI axis " + (i - 1) + " has " + dim[i] + " voxels; too large");
                }
                n[i - 1] = (int) dim[i];
            } else if (dim[i] != 1) {
                StringBuilder s = new StringBuilder();
                for (int k = 1; k <= nd; k++) {
                    s.append(k == 1 ? "" : "x").append(dim[k]);
                }
                throw new NiftiFormatException("NIfTI image is " + nd + "-D (" + s + ") with more than one volume; expected a single 3-D volume");
            }
        }
        return n;
    }

    /** (slope, inter) as nibabel applies them, or null when the data are not scaled (slope 0 or not finite). */
    double[] scaling() {
        if (sclSlope == 0 || !Double.isFinite(sclSlope)) {
            return null;
        }
        if (!Double.isFinite(sclInter)) {
            throw new NiftiFormatException("NIfTI scl_slope is " + sclSlope + " but scl_inter is " + sclInter + "; expected a finite intercept");
        }
        if (sclSlope == 1 && sclInter == 0) {
            return null;
        }
        return new double[] {sclSlope, sclInter};
    }

    // ---- affines ----------------------------------------------------------------------------------------

    double[][] sform() {
        return new double[][] {srow[0].clone(), srow[1].clone(), srow[2].clone(), {0, 0, 0, 1}};
    }

    double[][] qform() {
        return qformFrom(quatB, quatC, quatD, new double[] {pixdim[1], pixdim[2], pixdim[3]}, pixdim[0],
                new double[] {qoffX, qoffY, qoffZ});
    }

    /** nibabel's qform: quaternion (w filled in, normalised) times diag(pixdim) with qfac on the last axis. */
    static double[][] qformFrom(double b, double c, double d, double[] vox, double qfac, double[] off) {
        double w2 = 1.0 - (b * b + c * c + d * d);
        double w = w2 < 0 ? 0 : Math.sqrt(w2);
        double nq = w * w + b * b + c * c + d * d;
        double[][] r;
        if (nq < 2.220446049250313e-16) {
            r = new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        } else {
            double s = 2.0 / nq;
            double x = b * s, y = c * s, z = d * s;
            double wx = w * x, wy = w * y, wz = w * z;
            double xx = b * x, xy = b * y, xz = b * z;
            double yy = c * y, yz = c * z, zz = d * z;
            r = new double[][] {
                {1.0 - (yy + zz), xy - wz, xz + wy},
                {xy + wz, 1.0 - (xx + zz), yz - wx},
                {xz - wy, yz + wx, 1.0 - (xx + yy)}};
        }
        double[] z = {vox[0], vox[1], vox[2] * (qfac == -1 ? -1 : 1)};
        double[][] m = new double[4][4];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                m[i][j] = r[i][j] * z[j];
            }
            m[i][3] = off[i];
        }
        m[3][3] = 1;
        return m;
    }

    /** nibabel's fallback when neither form is coded: diag(-dx, dy, dz), centred on the array. */
    double[][] baseAffine() {
        int nd = (int) Math.max(1, Math.min(dim[0], 7));
        double[] shape = {1, 1, 1};
        double[] zooms = {1, 1, 1};
        for (int i = 0; i < Math.min(3, nd); i++) {
            shape[i] = dim[i + 1];
            zooms[i] = pixdim[i + 1];
        }
        zooms[0] = -zooms[0];
        double[][] m = new double[4][4];
        for (int i = 0; i < 3; i++) {
            m[i][i] = zooms[i];
            m[i][3] = -((shape[i] - 1) / 2.0) * zooms[i];
        }
        m[3][3] = 1;
        return m;
    }

    double[][] bestAffine() {
        if (sformCode != 0) {
            return sform();
        }
        if (qformCode != 0) {
            return qform();
        }
        return baseAffine();
    }

    /**
     * The affine MONAI's loader ends up with: nibabel's best affine after
     * {@code correct_nifti_header_if_necessary}. When the header zooms disagree with the best affine's column
     * norms, a coded sform consistent with the zooms wins, else a coded consistent qform; if the sform is
     * coded but inconsistent while the qform is consistent, the qform (stored as float32 sform) is used; if
     * only the qform is coded and inconsistent while the sform is consistent, the sform becomes the qform;
     * otherwise only the zooms are rewritten and the affine stays.
     */
    Affine monaiAffine() {
        double[][] best = bestAffine();
        int d = (int) dim[0];
        if (d >= 5 || d < 1) {
            return toAffine(best);
        }
        double[] zooms = new double[d];
        for (int i = 0; i < d; i++) {
            zooms[i] = pixdim[i + 1];
        }
        if (allClose(zooms, spacing(best, d))) {
            return toAffine(best);
        }
        double[][] s = sform();
        double[][] q = qform();
        boolean sMismatch = !allClose(spacing(s, d), zooms);
        boolean qMismatch = !allClose(spacing(q, d), zooms);
        if (sformCode != 0) {
            if (!sMismatch) {
                return toAffine(best);
            }
            if (!qMismatch) {
                // set_sform(qform): stored in the float32 srow fields, read back as the best affine
                return toAffine(roundToFloat(q));
            }
        }
        if (qformCode != 0) {
            if (!qMismatch) {
                return toAffine(best);
            }
            if (!sMismatch) {
                // set_qform(sform): sform_code is 0 here, so the re-encoded qform becomes the best affine
                return toAffine(reencodeAsQform(s));
            }
        }
        return toAffine(best);
    }

    /** np.allclose(a, b): |a - b| <= 1e-8 + 1e-5 * |b| elementwise. */
    private static boolean allClose(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - b[i]) <= 1e-8 + 1e-5 * Math.abs(b[i]))) {
                return false;
            }
        }
        return true;
    }

    /** MONAI affine_to_spacing(affine, r=d): column norms of the top-left d x d block, zeros replaced by 1. */
    private static double[] spacing(double[][] m, int d) {
        double[] s = new double[d];
        for (int c = 0; c < d; c++) {
            double acc = 0;
            for (int r = 0; r < d; r++) {
                acc += m[r][c] * m[r][c];
            }
            s[c] = acc == 0 ? 1 : Math.sqrt(acc);
        }
        return s;
    }

    private static double[][] roundToFloat(double[][] m) {
        double[][] r = new double[4][];
        for (int i = 0; i < 4; i++) {
            r[i] = new double[4];
            for (int j = 0; j < 4; j++) {
                r[i][j] = (float) m[i][j];
            }
        }
        return r;
    }

    /** What nibabel's set_qform stores for {@code m} (zooms, qfac, quaternion, offsets as float32), read back. */
    static double[][] reencodeAsQform(double[][] m) {
        QformFields f = QformFields.of(m);
        return qformFrom((float) f.b, (float) f.c, (float) f.d,
                new double[] {(float) f.zooms[0], (float) f.zooms[1], (float) f.zooms[2]}, f.qfac,
                new double[] {(float) m[0][3], (float) m[1][3], (float) m[2][3]});
    }

    static Affine toAffine(double[][] m) {
        double[] v = new double[16];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                v[i * 4 + j] = m[i][j];
            }
        }
        v[15] = 1;
        return Affine.of(v);
    }

    /** The quaternion encoding of an affine's 3x3 part (rotation made proper with qfac, column norms as zooms). */
    static final class QformFields {
        double b, c, d, qfac;
        double[] zooms;

        static QformFields of(double[][] m) {
            QformFields f = new QformFields();
            f.zooms = new double[3];
            double[][] r = new double[3][3];
            for (int j = 0; j < 3; j++) {
                double n = Math.sqrt(m[0][j] * m[0][j] + m[1][j] * m[1][j] + m[2][j] * m[2][j]);
                f.zooms[j] = n;
                for (int i = 0; i < 3; i++) {
                    r[i][j] = n == 0 ? (i == j ? 1 : 0) : m[i][j] / n;
                }
            }
            double det = r[0][0] * (r[1][1] * r[2][2] - r[1][2] * r[2][1])
                    - r[0][1] * (r[1][0] * r[2][2] - r[1][2] * r[2][0])
                    + r[0][2] * (r[1][0] * r[2][1] - r[1][1] * r[2][0]);
            f.qfac = det > 0 ? 1 : -1;
            if (det <= 0) {
                for (int i = 0; i < 3; i++) {
                    r[i][2] = -r[i][2];
                }
            }
            // Shepperd's method on the (assumed orthonormal) rotation, sign chosen so that w >= 0
            double tr = r[0][0] + r[1][1] + r[2][2];
            double w, x, y, z;
            if (tr > 0) {
                double s = Math.sqrt(tr + 1.0) * 2;
                w = 0.25 * s;
                x = (r[2][1] - r[1][2]) / s;
                y = (r[0][2] - r[2][0]) / s;
                z = (r[1][0] - r[0][1]) / s;
            } else if (r[0][0] > r[1][1] && r[0][0] > r[2][2]) {
                double s = Math.sqrt(1.0 + r[0][0] - r[1][1] - r[2][2]) * 2;
                w = (r[2][1] - r[1][2]) / s;
                x = 0.25 * s;
                y = (r[0][1] + r[1][0]) / s;
                z = (r[0][2] + r[2][0]) / s;
            } else if (r[1][1] > r[2][2]) {
                double s = Math.sqrt(1.0 + r[1][1] - r[0][0] - r[2][2]) * 2;
                w = (r[0][2] - r[2][0]) / s;
                x = (r[0][1] + r[1][0]) / s;
                y = 0.25 * s;
                z = (r[1][2] + r[2][1]) / s;
            } else {
                double s = Math.sqrt(1.0 + r[2][2] - r[0][0] - r[1][1]) * 2;
                w = (r[1][0] - r[0][1]) / s;
                x = (r[0][2] + r[2][0]) / s;
                y = (r[1][2] + r[2][1]) / s;
                z = 0.25 * s;
            }
            if (w < 0) {
                x = -x;
                y = -y;
                z = -z;
            }
            f.b = x;
            f.c = y;
            f.d = z;
            return f;
        }
    }
}
