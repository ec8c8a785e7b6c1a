package com.edgeseg.actors.study;

import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.ContinuousIndex;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.geometry.WorldPoint;
import com.edgeseg.io.nifti.NiftiReader;
import com.edgeseg.pkg.ModelPackage;
import com.edgeseg.export.PackageCache;
import com.edgeseg.volume.Volume;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;

/**
 * A small real CT as a scanner would send it: a block of OpenKBP's pt_201 (read from ../shared/data, never copied)
 * cut into axial slices with DICOM geometry (LPS position and direction cosines), and the width-8 test package.
 */
final class RealSeries {
    static final Path SHARED = Path.of(System.getProperty("edgeseg.shared", "../shared")).toAbsolutePath().normalize();
    static final Path CT = SHARED.resolve("data/openkbp/val/pt_201/ct.nii.gz");

    private RealSeries() {}

    /** The width-8 reference weights as a package (exported once into packages/); carries the VISTA3D class table. */
    static ModelPackage testPackage() {
        return PackageCache.forWeights(SHARED.resolve("vectors/net-w8-a/weights.npz"), System.err);
    }

    /** A block of the CT around the head: few enough voxels at the model's spacing for one window. */
    static Volume block() {
        return crop(NiftiReader.read(CT), 44, 44, 56, new Dims(28, 28, 16));
    }

    static Volume crop(Volume v, int i0, int j0, int k0, Dims size) {
        float[] out = new float[size.voxelCount()];
        int p = 0;
        for (int i = 0; i < size.n0(); i++) {
            for (int j = 0; j < size.n1(); j++) {
                for (int k = 0; k < size.n2(); k++) {
                    out[p++] = v.get(i0 + i, j0 + j, k0 + k);
                }
            }
        }
        Affine a = v.geometry().indexToWorld().multiply(Affine.translation(i0, j0, k0));
        return Volume.wrap(Geometry.of(size, a), out);
    }

    /** The series header of {@code v}'s axial slices (axis 2), DICOM style. */
    static SeriesSpec spec(Volume v, boolean countKnown) {
        Affine a = v.geometry().indexToWorld();
        double colSpacing = a.columnNorm(0);
        double rowSpacing = a.columnNorm(1);
        double[] rowDir = new double[3];
        double[] colDir = new double[3];
        for (int r = 0; r < 3; r++) {
            double flip = r < 2 ? -1 : 1; // RAS -> LPS
            rowDir[r] = flip * a.get(r, 0) / colSpacing + 0.0;
            colDir[r] = flip * a.get(r, 1) / rowSpacing + 0.0;
        }
        return new SeriesSpec(countKnown ? OptionalInt.of(v.dims().n2()) : OptionalInt.empty(), v.dims().n1(),
                v.dims().n0(), rowSpacing, colSpacing, rowDir, colDir, 1, -1024, "HFS");
    }

    /** Slice {@code k} of {@code v}: int16 stored values (HU + 1024, the header's rescale) or float32 HU. */
    static SliceInput slice(Volume v, int k, boolean int16) {
        Dims d = v.dims();
        int rows = d.n1();
        int cols = d.n0();
        short[] stored = int16 ? new short[rows * cols] : null;
        float[] hu = int16 ? null : new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                float x = v.get(c, r, k);
                if (int16) {
                    stored[r * cols + c] = (short) Math.round(x + 1024);
                } else {
                    hu[r * cols + c] = x;
                }
            }
        }
        WorldPoint w = v.geometry().toWorld(new ContinuousIndex(0, 0, k));
        double[] lps = {-w.x() + 0.0, -w.y() + 0.0, w.z()};
        return new SliceInput(k + 1, lps, rows, cols, stored, hu, Double.NaN, Double.NaN, null, null, null);
    }

    enum Order { SCANNER, REVERSE, SHUFFLED }

    static List<Integer> order(int n, Order order) {
        List<Integer> ks = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            ks.add(k);
        }
        if (order == Order.REVERSE) {
            Collections.reverse(ks);
        } else if (order == Order.SHUFFLED) {
            Collections.shuffle(ks, new Random(13));
        }
        return ks;
    }
}
