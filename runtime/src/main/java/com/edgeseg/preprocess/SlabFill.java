package com.edgeseg.preprocess;

import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.Dims;
import com.edgeseg.volume.Volume;
import com.edgeseg.window.SlidingWindowPlan;
import com.edgeseg.window.Window;
import java.util.Arrays;

/**
 * Grows the network image of a {@link GridPlan} slice by slice (§3.1): takes the series' slices in any order and,
 * as soon as every slice a resampled plane interpolates from is present, resamples that plane, crops it, scales its
 * intensities and puts it in its place in the network image. Each slice is a plane of the series grid along its
 * axis 2 (C order over axes 0 and 1). The values are bit for bit those of resampling the whole volume at once, so
 * the order in which slices arrive never changes the image.
 */
public final class SlabFill {
    private final GridPlan grid;
    private final PreprocessingSettings settings;
    private final Dims series;
    private final Dims resampled;
    private final Affine sourceOfTarget;
    private final boolean resample;
    private final boolean bilinear;
    private final float[][] slices;
    private final int[][] sourceSlices;
    private final boolean[] planeDone;
    private final int[] networkPlaneOf;
    private final int sliceAxis;
    private final float[] network;
    private final int[] netStride;
    private final float threshold;
    private int slicesPresent;
    private int planesDone;
    private float max = Float.NEGATIVE_INFINITY;
    private boolean foreground;

    public SlabFill(GridPlan grid, PreprocessingSettings settings) {
        this.grid = grid;
        this.settings = settings;
        this.series = grid.originalGeometry().dims();
        this.resampled = grid.resampledDims();
        this.sourceOfTarget = grid.spacing().sourceOfTarget();
        this.resample = grid.resampled();
        this.bilinear = settings.imageInterpolation() == PreprocessingSettings.Interpolation.BILINEAR;
        this.slices = new float[series.n2()][];
        this.planeDone = new boolean[resampled.n2()];
        this.sourceSlices = new int[resampled.n2()][];
        for (int r = 0; r < resampled.n2(); r++) {
            sourceSlices[r] = sourceRange(r);
        }
        AxisOrientation orient = grid.orientation();
        CropBox crop = grid.cropBox();
        this.sliceAxis = orient.outAxis()[2];
        this.networkPlaneOf = new int[resampled.n2()];
        int len = crop.size().get(2);
        for (int r = 0; r < resampled.n2(); r++) {
            int c = r - crop.start().get(2);
            networkPlaneOf[r] = c < 0 || c >= len ? -1 : (orient.flip()[2] ? len - 1 - c : c);
        }
        Dims nd = grid.networkDims();
        this.network = new float[nd.voxelCount()];
        this.netStride = new int[] {nd.n1() * nd.n2(), nd.n2(), 1};
        this.threshold = (float) settings.foreground().threshold();
    }

    /** The network axis along which {@link #accept} completes planes (the series' slice axis after orientation). */
    public int sliceAxis() {
        return sliceAxis;
    }

    /**
     * Places slice {@code k} of the series and fills every network plane it completes.
     *
     * @param pixels the slice, C order over the series' axes 0 and 1, in HU
     * @return the network planes along {@link #sliceAxis()} completed by this slice, ascending (often empty or one)
     * @throws IllegalArgumentException for a slice index outside the series, a repeated slice or a wrong size
     */
    public int[] accept(int k, float[] pixels) {
        if (k < 0 || k >= slices.length) {
            throw new IllegalArgumentException("slice " + k + " is outside the series' 0.." + (slices.length - 1));
        }
        if (slices[k] != null) {
            throw new IllegalArgumentException("slice " + k + " was already placed");
        }
        if (pixels.length != series.n0() * series.n1()) {
            throw new IllegalArgumentException("slice " + k + " has " + pixels.length + " pixels, expected "
                    + series.n0() + " x " + series.n1());
        }
        slices[k] = pixels.clone();
        slicesPresent++;
        int[] done = new int[planeDone.length];
        int n = 0;
        for (int r = 0; r < planeDone.length; r++) {
            int[] need = sourceSlices[r];
            if (planeDone[r] || k < need[0] || k > need[1] || !present(need)) {
                continue;
            }
            planeDone[r] = true;
            planesDone++;
            if (networkPlaneOf[r] >= 0) {
                place(r, resamplePlane(r));
                done[n++] = networkPlaneOf[r];
            }
        }
        int[] out = Arrays.copyOf(done, n);
        Arrays.sort(out);
        if (slicesPresent == slices.length) {
            Arrays.fill(slices, null); // the series is no longer needed: every plane is filled
        }
        return out;
    }

    /** Places every slice of {@code ct} (the series as a volume), in order. */
    public void acceptAll(Volume ct) {
        Dims d = ct.dims();
        float[] all = ct.toArray();
        for (int k = 0; k < d.n2(); k++) {
            float[] slice = new float[d.n0() * d.n1()];
            for (int p = 0; p < slice.length; p++) {
                slice[p] = all[p * d.n2() + k];
            }
            accept(k, slice);
        }
    }

    /** True once every network plane is filled. */
    public boolean complete() {
        return planesDone == planeDone.length;
    }

    /** Whether some resampled voxel inside the grid exceeds the foreground threshold (§8 Q17). */
    public boolean foregroundSeen() {
        return foreground;
    }

    /** The largest resampled value seen (for error messages). */
    public float maxValue() {
        return max;
    }

    /**
     * Window {@code w} of {@code lattice} cut from the network image (padding 0). Only planes already filled may
     * be read; a pipeline asks once every plane the window covers is in.
     */
    public float[] extract(SlidingWindowPlan lattice, Window w) {
        return lattice.extract(network, w);
    }

    /** The network image (planes not yet filled are 0). */
    public Volume image() {
        return Volume.wrap(grid.networkGeometry(), network.clone());
    }

    /** The network image once complete, without a copy; the fill must not be used afterwards. */
    Volume take() {
        if (!complete()) {
            throw new IllegalStateException(planesDone + " of " + planeDone.length + " planes are filled");
        }
        return Volume.wrap(grid.networkGeometry(), network);
    }

    private boolean present(int[] need) {
        for (int s = need[0]; s <= need[1]; s++) {
            if (slices[s] == null) {
                return false;
            }
        }
        return true;
    }

    /** The series slices {@code [lo, hi]} that resampled plane {@code r} interpolates from (corners of the plane). */
    private int[] sourceRange(int r) {
        if (!resample) {
            return new int[] {r, r};
        }
        Affine x = sourceOfTarget;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int o0 : new int[] {0, resampled.n0() - 1}) {
            for (int o1 : new int[] {0, resampled.n1() - 1}) {
                double b2 = x.get(2, 0) * o0 + x.get(2, 1) * o1 + x.get(2, 3);
                double q2 = Resampling.clamp(b2 + x.get(2, 2) * r, series.n2());
                lo = Math.min(lo, q2);
                hi = Math.max(hi, q2);
            }
        }
        // a margin for the rounding of interior points of an oblique plane, which may fall a hair outside the corners
        return new int[] {Math.max(0, (int) Math.floor(lo - 1e-6)),
                Math.min((int) Math.floor(hi + 1e-6) + 1, series.n2() - 1)};
    }

    /**
     * Resampled plane {@code r} over (axis 0, axis 1): the arithmetic of {@link Resampling#trilinear} and
     * {@link Resampling#nearest} voxel for voxel, reading the series from its slices.
     */
    private float[] resamplePlane(int r) {
        int m0 = resampled.n0();
        int m1 = resampled.n1();
        float[] dst = new float[m0 * m1];
        if (!resample) {
            float[] s = slices[r];
            System.arraycopy(s, 0, dst, 0, dst.length);
            return dst;
        }
        Affine x = sourceOfTarget;
        int n0 = series.n0();
        int n1 = series.n1();
        int n2 = series.n2();
        int p = 0;
        for (int o0 = 0; o0 < m0; o0++) {
            for (int o1 = 0; o1 < m1; o1++) {
                double b0 = x.get(0, 0) * o0 + x.get(0, 1) * o1 + x.get(0, 3);
                double b1 = x.get(1, 0) * o0 + x.get(1, 1) * o1 + x.get(1, 3);
                double b2 = x.get(2, 0) * o0 + x.get(2, 1) * o1 + x.get(2, 3);
                double q0 = Resampling.clamp(b0 + x.get(0, 2) * r, n0);
                double q1 = Resampling.clamp(b1 + x.get(1, 2) * r, n1);
                double q2 = Resampling.clamp(b2 + x.get(2, 2) * r, n2);
                if (!bilinear) {
                    // Resampling.nearest's sum order (Affine.apply), so half-way ties round alike
                    double[] q = x.apply(o0, o1, r);
                    int i = (int) Math.rint(Resampling.clamp(q[0], n0));
                    int j = (int) Math.rint(Resampling.clamp(q[1], n1));
                    int k = (int) Math.rint(Resampling.clamp(q[2], n2));
                    dst[p++] = slices[k][i * n1 + j];
                    continue;
                }
                int i0 = (int) Math.floor(q0), j0 = (int) Math.floor(q1), k0 = (int) Math.floor(q2);
                double f0 = q0 - i0, f1 = q1 - j0, f2 = q2 - k0;
                int i1 = Math.min(i0 + 1, n0 - 1), j1 = Math.min(j0 + 1, n1 - 1), k1 = Math.min(k0 + 1, n2 - 1);
                double g0 = 1 - f0, g1 = 1 - f1, g2 = 1 - f2;
                float[] sk0 = slices[k0];
                float[] sk1 = slices[k1];
                int a00 = i0 * n1 + j0, a01 = i0 * n1 + j1, a10 = i1 * n1 + j0, a11 = i1 * n1 + j1;
                double v = g0 * (g1 * (g2 * sk0[a00] + f2 * sk1[a00])
                                + f1 * (g2 * sk0[a01] + f2 * sk1[a01]))
                        + f0 * (g1 * (g2 * sk0[a10] + f2 * sk1[a10])
                                + f1 * (g2 * sk0[a11] + f2 * sk1[a11]));
                dst[p++] = (float) v;
            }
        }
        return dst;
    }

    /** Crops, scales (§3.1 step 7, float32 as PyTorch, §8 Q23) and orients resampled plane {@code r}. */
    private void place(int r, float[] plane) {
        PreprocessingSettings.Intensity in = settings.intensity();
        float aMin = (float) in.aMin();
        float range = (float) (in.aMax() - in.aMin());
        float bScale = (float) (in.bMax() - in.bMin());
        float bMin = (float) in.bMin();
        float bMax = (float) in.bMax();
        boolean clip = in.clip();
        AxisOrientation orient = grid.orientation();
        CropBox crop = grid.cropBox();
        int base = networkPlaneOf[r] * netStride[sliceAxis];
        int m1 = resampled.n1();
        int len0 = crop.size().get(0);
        int len1 = crop.size().get(1);
        int stride0 = netStride[orient.outAxis()[0]];
        int stride1 = netStride[orient.outAxis()[1]];
        for (int c0 = 0; c0 < len0; c0++) {
            int s0 = crop.start().get(0) + c0;
            int d0 = (orient.flip()[0] ? len0 - 1 - c0 : c0) * stride0;
            for (int c1 = 0; c1 < len1; c1++) {
                int s1 = crop.start().get(1) + c1;
                float x = plane[s0 * m1 + s1];
                if (x > max) {
                    max = x;
                }
                if (x > threshold) {
                    foreground = true;
                }
                float y = (x - aMin) / range;
                y = y * bScale + bMin;
                if (clip) {
                    y = y < bMin ? bMin : (y > bMax ? bMax : y);
                }
                network[base + d0 + (orient.flip()[1] ? len1 - 1 - c1 : c1) * stride1] = y;
            }
        }
    }
}
