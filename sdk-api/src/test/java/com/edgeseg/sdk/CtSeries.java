package com.edgeseg.sdk;

import com.edgeseg.engine.EngineOptions;
import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.ContinuousIndex;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.geometry.WorldPoint;
import com.edgeseg.io.nifti.NiftiReader;
import com.edgeseg.pkg.ModelPackage;
import com.edgeseg.export.PackageCache;
import com.edgeseg.segment.ProgressListener;
import com.edgeseg.segment.SegmentationRequest;
import com.edgeseg.segment.Segmenter;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.volume.Volume;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;

/**
 * A real CT (a block of OpenKBP pt_201, read from ../shared/data, never copied) as a scanner sends it through the
 * public API, the width-8 test package, and the batch Segmenter's answer on the same volume.
 */
final class CtSeries {
    static final Path SHARED = Path.of(System.getProperty("edgeseg.shared", "../shared")).toAbsolutePath().normalize();
    static final Path CT_FILE = SHARED.resolve("data/openkbp/val/pt_201/ct.nii.gz");
    static final List<String> AUTO = List.of("liver", "spleen");

    final Volume ct;

    CtSeries(Volume ct) {
        this.ct = ct;
    }

    /** A block around the head, small enough for one network window. */
    static CtSeries block() {
        return new CtSeries(crop(NiftiReader.read(CT_FILE), 44, 44, 56, new Dims(28, 28, 16)));
    }

    /** A taller block: about 240 mm of the neck, two network windows along the slices (roi 128 at 1.5 mm). */
    static CtSeries tall() {
        return new CtSeries(crop(NiftiReader.read(CT_FILE), 52, 52, 24, new Dims(24, 24, 80)));
    }

    /**
     * The same series stored in the opposite slice order (slice k is slice n-1-k, same world positions): what a
     * scanner acquiring against the slice normal streams, as a batch input.
     */
    Volume reversed() {
        Dims d = ct.dims();
        int n = d.n2();
        float[] in = ct.toArray();
        float[] out = new float[in.length];
        for (int r = 0; r < d.n0() * d.n1(); r++) {
            for (int k = 0; k < n; k++) {
                out[r * n + k] = in[r * n + n - 1 - k];
            }
        }
        Affine a = ct.geometry().indexToWorld();
        WorldPoint last = ct.geometry().toWorld(new ContinuousIndex(0, 0, n - 1));
        double[] linear = new double[9];
        for (int r = 0; r < 3; r++) {
            linear[r * 3] = a.get(r, 0);
            linear[r * 3 + 1] = a.get(r, 1);
            linear[r * 3 + 2] = -a.get(r, 2) + 0.0;
        }
        return Volume.wrap(Geometry.of(d, Affine.of(linear, new double[] {last.x(), last.y(), last.z()})), out);
    }

    /** The scanner's announced plan: acquisition from slice 0 up, or from the last slice down. */
    SlicePlan plan(boolean descending) {
        Slice first = slice(descending ? slices() - 1 : 0, false);
        double step = ct.geometry().indexToWorld().columnNorm(2);
        return new SlicePlan(first.imagePositionPatient(), descending ? -step : step);
    }

    /** {@code acquired} (on the reversed grid) back in this series' slice order. */
    static LabelVolume unreversed(LabelVolume acquired, Geometry g) {
        Dims d = acquired.dims();
        int n = d.n2();
        byte[] in = acquired.toArray();
        byte[] out = new byte[in.length];
        for (int r = 0; r < d.n0() * d.n1(); r++) {
            for (int k = 0; k < n; k++) {
                out[r * n + k] = in[r * n + n - 1 - k];
            }
        }
        return LabelVolume.wrap(g, out);
    }

    static Path testPackage() {
        return PackageCache.forWeights(SHARED.resolve("vectors/net-w8-a/weights.npz"), System.err).dir();
    }

    /** What the batch Segmenter makes of this CT (run before the SDK's device thread exists). */
    LabelVolume batch(Path pkg, List<String> classes) {
        return batch(pkg, classes, ct);
    }

    static LabelVolume batch(Path pkg, List<String> classes, Volume volume) {
        try (Segmenter s = Segmenter.open(ModelPackage.open(pkg), EngineOptions.defaults(), FidelityProfile.product())) {
            return s.segment(volume, SegmentationRequest.auto(classes), ProgressListener.NONE).labels();
        }
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
        return Volume.wrap(Geometry.of(size, v.geometry().indexToWorld().multiply(Affine.translation(i0, j0, k0))), out);
    }

    int slices() {
        return ct.dims().n2();
    }

    SeriesHeader header(boolean countKnown) {
        Affine a = ct.geometry().indexToWorld();
        double colSpacing = a.columnNorm(0);
        double rowSpacing = a.columnNorm(1);
        double[] rowDir = new double[3];
        double[] colDir = new double[3];
        for (int r = 0; r < 3; r++) {
            double flip = r < 2 ? -1 : 1; // NIfTI RAS -> DICOM LPS
            rowDir[r] = flip * a.get(r, 0) / colSpacing + 0.0;
            colDir[r] = flip * a.get(r, 1) / rowSpacing + 0.0;
        }
        return new SeriesHeader(countKnown ? OptionalInt.of(slices()) : OptionalInt.empty(), ct.dims().n1(),
                ct.dims().n0(), rowSpacing, colSpacing, rowDir, colDir, 1, -1024, PatientPosition.HFS, AUTO);
    }

    /** Slice k: int16 stored values (HU + 1024 with the header's rescale) or float32 HU. */
    Slice slice(int k, boolean int16) {
        int rows = ct.dims().n1();
        int cols = ct.dims().n0();
        short[] stored = new short[rows * cols];
        float[] hu = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                hu[r * cols + c] = ct.get(c, r, k);
                stored[r * cols + c] = (short) Math.round(hu[r * cols + c] + 1024);
            }
        }
        WorldPoint w = ct.geometry().toWorld(new ContinuousIndex(0, 0, k));
        double[] lps = {-w.x() + 0.0, -w.y() + 0.0, w.z()};
        return int16 ? Slice.int16(k + 1, lps, rows, cols, stored) : Slice.float32(k + 1, lps, rows, cols, hu);
    }

    enum Order { SCANNER, REVERSE, SHUFFLED }

    List<Integer> order(Order order) {
        List<Integer> ks = new ArrayList<>();
        for (int k = 0; k < slices(); k++) {
            ks.add(k);
        }
        if (order == Order.REVERSE) {
            Collections.reverse(ks);
        } else if (order == Order.SHUFFLED) {
            Collections.shuffle(ks, new Random(7));
        }
        return ks;
    }

    /** Asserts {@code map} (slice, row, col) holds exactly {@code expected}'s labels (col, row, slice). */
    static void assertSame(LabelVolume expected, LabelMap map, String what) {
        Dims d = expected.dims();
        org.junit.jupiter.api.Assertions.assertEquals(d.n2(), map.slices(), what + ": slices");
        org.junit.jupiter.api.Assertions.assertEquals(d.n1(), map.rows(), what + ": rows");
        org.junit.jupiter.api.Assertions.assertEquals(d.n0(), map.cols(), what + ": cols");
        long differ = 0;
        for (int k = 0; k < d.n2(); k++) {
            for (int r = 0; r < d.n1(); r++) {
                for (int c = 0; c < d.n0(); c++) {
                    if (expected.get(c, r, k) != map.label(k, r, c)) {
                        differ++;
                    }
                }
            }
        }
        org.junit.jupiter.api.Assertions.assertEquals(0, differ, what + ": voxels that differ");
    }

    /** (slice, row, column) of the middle voxel labelled {@code id} in scan order, or the map's centre if none. */
    static int[] labelledVoxel(LabelMap m, int id) {
        List<int[]> hits = new ArrayList<>();
        for (int k = 0; k < m.slices(); k++) {
            for (int r = 0; r < m.rows(); r++) {
                for (int c = 0; c < m.cols(); c++) {
                    if (m.label(k, r, c) == id) {
                        hits.add(new int[] {k, r, c});
                    }
                }
            }
        }
        return hits.isEmpty() ? new int[] {m.slices() / 2, m.rows() / 2, m.cols() / 2} : hits.get(hits.size() / 2);
    }
}
