package com.edgeseg.preprocess;

import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.ContinuousIndex;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.geometry.VoxelIndex;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.window.SlidingWindowPlan;
import com.edgeseg.window.StreamOrder;
import com.edgeseg.window.WindowSettings;

/**
 * The network grid of a series (§3.1) and the exact record of how it maps to the series grid, without any pixels:
 * the resampled grid (MONAI {@code Spacingd}), the crop, the orientation, and the window lattice on top. Clicks and
 * masks move both ways through it, and the {@link Inverse} maps finished label slabs back with it.
 *
 * <p>Two lattices ({@link FidelityProfile.Lattice}): the reference crops to the foreground of the whole resampled
 * volume, so it needs every pixel ({@link #reference}); the streaming grid keeps the whole resampled grid and is
 * known from the series header alone ({@link #streaming}), so a pipeline can plan every window before the first
 * slice arrives.
 *
 * <p>Grids: <em>original</em> = the series as loaded; <em>resampled</em> = after spacing, before the crop
 * ({@link #resampledGeometry()}); <em>network</em> = cropped and oriented ({@link #networkGeometry()}).
 */
public final class GridPlan {
    private final Geometry original;
    private final SpacingPlan plan;
    private final CropBox crop;
    private final AxisOrientation orient;
    private final Geometry network;
    private final FidelityProfile.Lattice lattice;
    private final StreamOrder streamOrder;
    private final Affine networkFromOriginal;
    private final Affine originalFromNetwork;
    /** continuous resampled index of an original index (identity when nothing was resampled). */
    private final Affine resampledFromOriginal;

    private GridPlan(Geometry original, SpacingPlan plan, CropBox crop, AxisOrientation orient,
                     FidelityProfile.Lattice lattice) {
        this.original = original;
        this.plan = plan;
        this.crop = crop;
        this.orient = orient;
        this.lattice = lattice;
        Affine cropped = plan.target().indexToWorld()
                .multiply(Affine.translation(crop.start().i(), crop.start().j(), crop.start().k()));
        this.network = Geometry.of(orient.apply(crop.size()), cropped.multiply(orient.outputToInput(crop.size())));
        // the series' slices lie along original (= resampled) axis 2; the stream runs from its first slice on
        this.streamOrder = lattice == FidelityProfile.Lattice.STREAMING
                ? new StreamOrder(orient.outAxis()[2], orient.flip()[2]) : StreamOrder.REFERENCE;
        this.networkFromOriginal = network.indexToWorld().inverse().multiply(original.indexToWorld());
        this.originalFromNetwork = networkFromOriginal.inverse();
        this.resampledFromOriginal = plan.resampled()
                ? plan.target().indexToWorld().inverse().multiply(original.indexToWorld())
                : Affine.identity();
    }

    /**
     * The streaming grid of a series: resampled, not cropped, oriented; known from the series geometry alone.
     */
    public static GridPlan streaming(Geometry series, PreprocessingSettings settings) {
        SpacingPlan plan = SpacingPlan.of(series, settings.spacingMm(), settings.keepSpacingToleranceMm());
        Dims rd = plan.target().dims();
        CropBox whole = new CropBox(new VoxelIndex(0, 0, 0), rd);
        AxisOrientation orient = AxisOrientation.between(plan.target().indexToWorld(), settings.orientation());
        return new GridPlan(series, plan, whole, orient, FidelityProfile.Lattice.STREAMING);
    }

    /** The reference grid: cropped to {@code crop} on the resampled grid of {@code plan}. */
    static GridPlan reference(Geometry series, SpacingPlan plan, CropBox crop, PreprocessingSettings settings) {
        Affine cropped = plan.target().indexToWorld()
                .multiply(Affine.translation(crop.start().i(), crop.start().j(), crop.start().k()));
        AxisOrientation orient = AxisOrientation.between(cropped, settings.orientation());
        return new GridPlan(series, plan, crop, orient, FidelityProfile.Lattice.REFERENCE);
    }


    public Geometry originalGeometry() {
        return original;
    }

    public Geometry networkGeometry() {
        return network;
    }

    public Dims networkDims() {
        return network.dims();
    }

    /** Which lattice this grid was planned for (the reference crops to the foreground, streaming does not). */
    public FidelityProfile.Lattice lattice() {
        return lattice;
    }

    /**
     * The network axis the series' slices arrive along and its direction (streaming), or the reference's axis 0
     * (reference lattice).
     */
    public StreamOrder streamOrder() {
        return streamOrder;
    }

    /** The dense window lattice of this grid. */
    public SlidingWindowPlan windows(WindowSettings settings) {
        return SlidingWindowPlan.of(network.dims(), settings, lattice, streamOrder);
    }

    SpacingPlan spacing() {
        return plan;
    }

    AxisOrientation orientation() {
        return orient;
    }

    /** The grid after spacing and before the crop (equals the original grid when nothing was resampled). */
    public Geometry resampledGeometry() {
        return plan.target();
    }

    public Dims resampledDims() {
        return plan.target().dims();
    }

    /** Whether the spacing step resampled at all (false when every axis was within tolerance, §8 Q20). */
    public boolean resampled() {
        return plan.resampled();
    }

    /** The foreground crop on the resampled grid. */
    public CropBox cropBox() {
        return crop;
    }

    /** For network axis {@code a}: the resampled-grid axis it comes from. */
    public int resampledAxisOf(int networkAxis) {
        return orient.inputAxisOf(networkAxis);
    }

    /** For network axis {@code a}: whether it runs opposite to its resampled-grid axis. */
    public boolean networkAxisFlipped(int networkAxis) {
        return orient.flip()[orient.inputAxisOf(networkAxis)];
    }

    /** {@code M = inv(A_network) · A_original} in float64: original index to network index. */
    public Affine networkFromOriginal() {
        return networkFromOriginal;
    }

    public Affine originalFromNetwork() {
        return originalFromNetwork;
    }

    /** A click on the original grid to the network grid: {@code M·p}, not rounded; may fall outside the crop. */
    public ContinuousIndex toNetwork(ContinuousIndex originalIndex) {
        double[] q = networkFromOriginal.apply(originalIndex.i(), originalIndex.j(), originalIndex.k());
        return new ContinuousIndex(q[0], q[1], q[2]);
    }

    public ContinuousIndex toOriginal(ContinuousIndex networkIndex) {
        double[] q = originalFromNetwork.apply(networkIndex.i(), networkIndex.j(), networkIndex.k());
        return new ContinuousIndex(q[0], q[1], q[2]);
    }

    /**
     * A network-grid label map back on the original grid, as the bundle's inverse does (§3.1 "Inverse"): undo
     * the orientation, pad the crop with 0, and take for each original voxel the nearest resampled voxel
     * (centre-to-centre, clamped to the resampled grid, half-integer ties to even per §8 Q22).
     */
    public LabelVolume toOriginal(LabelVolume networkLabels) {
        requireDims(networkLabels.dims(), network.dims(), "network label map");
        Dims od = original.dims();
        byte[] out = new byte[od.voxelCount()];
        fillOriginal(networkLabels, new int[] {0, 0, 0}, od.toArray(), out);
        return LabelVolume.wrap(original, out);
    }

    /**
     * The same mapping for a box of the original grid only (e.g. a z-range, for slab-wise output): returns the
     * labels of original voxels {@code start} .. {@code start + size} (exclusive) in C order over the box.
     */
    public byte[] toOriginalRegion(LabelVolume networkLabels, VoxelIndex start, Dims size) {
        requireDims(networkLabels.dims(), network.dims(), "network label map");
        Dims od = original.dims();
        int[] lo = {start.i(), start.j(), start.k()};
        int[] hi = new int[3];
        for (int a = 0; a < 3; a++) {
            hi[a] = lo[a] + size.get(a);
            if (lo[a] < 0 || hi[a] > od.get(a)) {
                throw new IllegalArgumentException("region " + start + " + " + size + " is outside the original grid " + od);
            }
        }
        byte[] out = new byte[size.voxelCount()];
        fillOriginal(networkLabels, lo, hi, out);
        return out;
    }

    /**
     * For each original slice along {@code originalAxis} (the resampled axis of network axis {@code networkAxis}):
     * the network planes {@code [lo, hi)} along {@code networkAxis} its labels come from ({@code lo == hi} when it
     * lies outside the crop and is background whatever the labels).
     */
    int[][] networkPlanesOfOriginalSlices(int networkAxis) {
        int a = orient.inputAxisOf(networkAxis);
        int n = original.dims().get(a);
        int[][] out = new int[n][];
        Affine y = resampledFromOriginal;
        if (!isDiagonal(y)) {
            // an oblique grid: a slice can draw on any plane
            for (int t = 0; t < n; t++) {
                out[t] = new int[] {0, network.dims().get(networkAxis)};
            }
            return out;
        }
        int len = crop.size().get(a);
        for (int t = 0; t < n; t++) {
            int c = Resampling.nearestLabelIndex(y.get(a, a) * t + y.get(a, 3), plan.target().dims().get(a))
                    - crop.start().get(a);
            if (c < 0 || c >= len) {
                out[t] = new int[] {0, 0};
            } else {
                int p = orient.flip()[a] ? len - 1 - c : c;
                out[t] = new int[] {p, p + 1};
            }
        }
        return out;
    }

    /** {@link #toOriginalRegion} into a caller's array, from a network label array that may be filled only in part. */
    void fillOriginal(byte[] net, int[] lo, int[] hi, byte[] out) {
        fillOriginal(LabelVolume.wrap(network, net), lo, hi, out);
    }

    private void fillOriginal(LabelVolume net, int[] lo, int[] hi, byte[] out) {
        Dims rd = plan.target().dims();
        Dims nd = network.dims();
        Affine y = resampledFromOriginal;
        int[] netStride = {nd.n1() * nd.n2(), nd.n2(), 1};
        // network flat offset contributed by resampled index s along resampled axis a (or -1 outside the crop)
        int[][] contrib = new int[3][];
        for (int a = 0; a < 3; a++) {
            int o = orient.outAxis()[a];
            int len = crop.size().get(a);
            contrib[a] = new int[rd.get(a)];
            for (int s = 0; s < rd.get(a); s++) {
                int c = s - crop.start().get(a);
                if (c < 0 || c >= len) {
                    contrib[a][s] = -1;
                } else {
                    contrib[a][s] = (orient.flip()[a] ? len - 1 - c : c) * netStride[o];
                }
            }
        }
        int p = 0;
        if (isDiagonal(y)) {
            // axis-aligned grids (the usual case): the nearest resampled index is a per-axis table
            int[][] tab = new int[3][];
            for (int a = 0; a < 3; a++) {
                tab[a] = new int[hi[a] - lo[a]];
                for (int t = lo[a]; t < hi[a]; t++) {
                    tab[a][t - lo[a]] = contrib[a][Resampling.nearestLabelIndex(y.get(a, a) * t + y.get(a, 3), rd.get(a))];
                }
            }
            for (int i = 0; i < tab[0].length; i++) {
                int c0 = tab[0][i];
                for (int j = 0; j < tab[1].length; j++) {
                    int c1 = tab[1][j];
                    if (c0 < 0 || c1 < 0) {
                        p += tab[2].length; // already 0
                        continue;
                    }
                    for (int k = 0; k < tab[2].length; k++) {
                        int c2 = tab[2][k];
                        out[p++] = c2 < 0 ? 0 : (byte) net.getFlat(c0 + c1 + c2);
                    }
                }
            }
            return;
        }
        for (int i = lo[0]; i < hi[0]; i++) {
            for (int j = lo[1]; j < hi[1]; j++) {
                double b0 = y.get(0, 0) * i + y.get(0, 1) * j + y.get(0, 3);
                double b1 = y.get(1, 0) * i + y.get(1, 1) * j + y.get(1, 3);
                double b2 = y.get(2, 0) * i + y.get(2, 1) * j + y.get(2, 3);
                for (int k = lo[2]; k < hi[2]; k++) {
                    int s0 = Resampling.nearestLabelIndex(b0 + y.get(0, 2) * k, rd.n0());
                    int s1 = Resampling.nearestLabelIndex(b1 + y.get(1, 2) * k, rd.n1());
                    int s2 = Resampling.nearestLabelIndex(b2 + y.get(2, 2) * k, rd.n2());
                    int c0 = contrib[0][s0], c1 = contrib[1][s1], c2 = contrib[2][s2];
                    out[p++] = (c0 < 0 || c1 < 0 || c2 < 0) ? 0 : (byte) net.getFlat(c0 + c1 + c2);
                }
            }
        }
    }

    /**
     * An original-grid label map (e.g. a previous mask) on the network grid: nearest original voxel of each
     * network voxel centre (clamped, ties to even).
     */
    public LabelVolume toNetwork(LabelVolume originalLabels) {
        requireDims(originalLabels.dims(), original.dims(), "original-grid label map");
        if (!originalLabels.geometry().indexToWorld().approximatelyEquals(original.indexToWorld(), 1e-4)) {
            throw new InvalidImageException("label map affine " + originalLabels.geometry().indexToWorld()
                    + " differs from the image affine " + original.indexToWorld() + "; expected a mask on the image's grid");
        }
        Dims od = original.dims();
        Dims nd = network.dims();
        Affine x = plan.sourceOfTarget(); // original index of a resampled index
        byte[] out = new byte[nd.voxelCount()];
        if (isDiagonal(x)) {
            // per network axis: the original flat-index contribution of each network index along it
            int[] oStride = {od.n1() * od.n2(), od.n2(), 1};
            int[][] tab = new int[3][];
            for (int a = 0; a < 3; a++) {
                int o = orient.outAxis()[a];
                int len = crop.size().get(a);
                tab[o] = new int[nd.get(o)];
                for (int oi = 0; oi < nd.get(o); oi++) {
                    int sIdx = crop.start().get(a) + (orient.flip()[a] ? len - 1 - oi : oi);
                    tab[o][oi] = Resampling.nearestLabelIndex(x.get(a, a) * sIdx + x.get(a, 3), od.get(a)) * oStride[a];
                }
            }
            int p = 0;
            for (int i = 0; i < nd.n0(); i++) {
                for (int j = 0; j < nd.n1(); j++) {
                    int b = tab[0][i] + tab[1][j];
                    for (int k = 0; k < nd.n2(); k++) {
                        out[p++] = (byte) originalLabels.getFlat(b + tab[2][k]);
                    }
                }
            }
            return LabelVolume.wrap(network, out);
        }
        int[] src = new int[3];
        int p = 0;
        int[] o = new int[3];
        for (o[0] = 0; o[0] < nd.n0(); o[0]++) {
            for (o[1] = 0; o[1] < nd.n1(); o[1]++) {
                for (o[2] = 0; o[2] < nd.n2(); o[2]++) {
                    for (int a = 0; a < 3; a++) {
                        int len = crop.size().get(a);
                        int oi = o[orient.outAxis()[a]];
                        src[a] = crop.start().get(a) + (orient.flip()[a] ? len - 1 - oi : oi);
                    }
                    double[] q = x.apply(src[0], src[1], src[2]);
                    int i = Resampling.nearestLabelIndex(q[0], od.n0());
                    int j = Resampling.nearestLabelIndex(q[1], od.n1());
                    int k = Resampling.nearestLabelIndex(q[2], od.n2());
                    out[p++] = (byte) originalLabels.getFlat(od.index(i, j, k));
                }
            }
        }
        return LabelVolume.wrap(network, out);
    }

    private static boolean isDiagonal(Affine m) {
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                if (r != c && m.get(r, c) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void requireDims(Dims got, Dims expected, String what) {
        if (!got.equals(expected)) {
            throw new InvalidImageException(what + " is " + got + "; expected " + expected);
        }
    }
}
