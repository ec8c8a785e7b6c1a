package com.edgeseg.window;

import com.edgeseg.geometry.Dims;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Blends dense window outputs into {@code sum(w * logits) / sum(w)} (§4.1 step 6) without a full-volume accumulator:
 * along the plan's stream axis ({@link SlidingWindowPlan#order()}) it keeps only the planes that a window still to
 * come may touch (at most one roi of planes) and hands every finished range of planes to the sink as soon as the last
 * window touching it has been added. Windows must be added in plan order, so every voxel's sum is formed in the
 * order the plan runs its windows (for the reference lattice, MONAI's order).
 *
 * <p>The ring of planes replaces the stream axis in a C-order array of the image, so rows along axis 2 stay
 * contiguous whatever the stream axis is.
 */
public final class SlabStitcher {
    private final SlidingWindowPlan plan;
    private final int channels;
    private final Consumer<Slab> sink;
    private final float[] weights;
    private final int axis;
    private final boolean descending;
    private final int axisSize;
    private final int ring;
    /** the image's size with the stream axis replaced by the ring */
    private final Dims store;
    private final float[][] acc;
    private final float[] wsum;
    private int next;
    /** planes finished so far: [0, done) ascending, [axisSize - done, axisSize) descending */
    private int done;

    /**
     * @param plan     the windows, in the order they will be added
     * @param channels number of logit channels per window
     * @param sink     receives each finished slab, in stream order
     */
    public SlabStitcher(SlidingWindowPlan plan, int channels, Consumer<Slab> sink) {
        if (channels <= 0) {
            throw new IllegalArgumentException("channels must be positive, got " + channels);
        }
        this.plan = plan;
        this.channels = channels;
        this.sink = sink;
        this.weights = BlendWeights.of(plan.settings());
        this.axis = plan.order().axis();
        this.descending = plan.order().descending();
        Dims image = plan.image();
        this.axisSize = image.get(axis);
        this.ring = Math.min(plan.roi().get(axis), axisSize);
        int[] s = image.toArray();
        s[axis] = ring;
        this.store = Dims.of(s);
        this.acc = new float[channels][store.voxelCount()];
        this.wsum = new float[store.voxelCount()];
    }

    /**
     * Adds one window's logits, C order {@code [channel][roi0][roi1][roi2]} (the network's {@code [1, n, X, Y, Z]}).
     * Emits every slab that no later window touches.
     */
    public void add(Window window, float[] logits) {
        List<Window> windows = plan.windows();
        if (next >= windows.size() || !windows.get(next).equals(window)) {
            throw new IllegalStateException("windows must be added in plan order: expected "
                    + (next < windows.size() ? windows.get(next) : "none (all added)") + ", got " + window);
        }
        Dims roi = window.size();
        int roiVox = roi.voxelCount();
        if (logits.length != (long) roiVox * channels) {
            throw new IllegalArgumentException("window logits have " + logits.length + " values, expected "
                    + channels + " x " + roi);
        }
        Dims image = plan.image();
        int[] lo = new int[3];
        int[] hi = new int[3];
        for (int a = 0; a < 3; a++) {
            lo[a] = Math.max(0, -window.origin(a));
            hi[a] = Math.min(roi.get(a), image.get(a) - window.origin(a));
        }
        for (int a = lo[0]; a < hi[0]; a++) {
            int i = window.o0() + a;
            for (int b = lo[1]; b < hi[1]; b++) {
                int j = window.o1() + b;
                int src = (a * roi.n1() + b) * roi.n2();
                if (axis == 2) {
                    // the ring wraps inside the row: blend it in (at most) two contiguous runs
                    int c = lo[2];
                    while (c < hi[2]) {
                        int k = window.o2() + c;
                        int slot = k % ring;
                        int run = Math.min(hi[2] - c, ring - slot);
                        blendRow(logits, roiVox, src + c, (i * store.n1() + j) * ring + slot, run);
                        c += run;
                    }
                } else {
                    int i2 = axis == 0 ? i % ring : i;
                    int j2 = axis == 1 ? j % ring : j;
                    int dst = (i2 * store.n1() + j2) * store.n2() + window.o2() + lo[2];
                    blendRow(logits, roiVox, src + lo[2], dst, hi[2] - lo[2]);
                }
            }
        }
        next++;
        int finished = finishedPlanes(next < windows.size() ? windows.get(next) : null);
        if (finished > done) {
            emit(finished);
        }
    }

    private void blendRow(float[] logits, int roiVox, int src, int dst, int len) {
        for (int c = 0; c < len; c++) {
            wsum[dst + c] += weights[src + c];
        }
        for (int ch = 0; ch < channels; ch++) {
            float[] acch = acc[ch];
            int off = ch * roiVox + src;
            for (int c = 0; c < len; c++) {
                acch[dst + c] += weights[src + c] * logits[off + c];
            }
        }
    }

    /** How many planes (counted in stream order) no window from {@code nextWindow} on touches. */
    private int finishedPlanes(Window nextWindow) {
        if (nextWindow == null) {
            return axisSize;
        }
        int f = descending ? axisSize - nextWindow.end(axis) : nextWindow.origin(axis);
        return Math.max(0, Math.min(f, axisSize));
    }

    /** True once every window of the plan has been added (and so every plane emitted). */
    public boolean finished() {
        return next == plan.windows().size();
    }

    /**
     * Emits the planes up to {@code finished} (in stream order) as slabs of at most {@link #chunkPlanes()} planes, so
     * that a slab of many classes never costs more than about {@link #SLAB_BYTES}.
     */
    private void emit(int finished) {
        int chunk = chunkPlanes();
        while (done < finished) {
            emitSlab(Math.min(finished, done + chunk));
        }
    }

    /** Bytes one emitted slab may take (all channels); a slab has at least one plane. */
    static final long SLAB_BYTES = 64L << 20;

    private int chunkPlanes() {
        long planeBytes = 4L * channels * (plan.image().voxelCount() / axisSize);
        return (int) Math.max(1, Math.min(axisSize, SLAB_BYTES / Math.max(1, planeBytes)));
    }

    private void emitSlab(int finished) {
        int count = finished - done;
        int first = descending ? axisSize - finished : done;
        int[] s = plan.image().toArray();
        s[axis] = count;
        Dims slabDims = Dims.of(s);
        // contiguous runs (ring offset, slab offset, length): rows along axis 2, split where the ring wraps
        int rows = slabDims.n0() * slabDims.n1();
        int[] runs = new int[3 * 2 * rows];
        int nRuns = 0;
        for (int i = 0; i < slabDims.n0(); i++) {
            int si = axis == 0 ? (first + i) % ring : i;
            for (int j = 0; j < slabDims.n1(); j++) {
                int sj = axis == 1 ? (first + j) % ring : j;
                int row = (si * store.n1() + sj) * store.n2();
                int dst = (i * slabDims.n1() + j) * slabDims.n2();
                if (axis != 2) {
                    nRuns = addRun(runs, nRuns, row, dst, slabDims.n2());
                } else {
                    int slot = first % ring;
                    int head = Math.min(count, ring - slot);
                    nRuns = addRun(runs, nRuns, row + slot, dst, head);
                    if (head < count) {
                        nRuns = addRun(runs, nRuns, row, dst + head, count - head);
                    }
                }
            }
        }
        float[][] out = new float[channels][slabDims.voxelCount()];
        for (int ch = 0; ch < channels; ch++) {
            float[] a = acc[ch];
            float[] o = out[ch];
            for (int r = 0; r < nRuns; r++) {
                int src = runs[3 * r];
                int dst = runs[3 * r + 1];
                int len = runs[3 * r + 2];
                for (int c = 0; c < len; c++) {
                    o[dst + c] = a[src + c] / wsum[src + c];
                }
                // the slots are free for the planes that reuse them
                Arrays.fill(a, src, src + len, 0f);
            }
        }
        for (int r = 0; r < nRuns; r++) {
            Arrays.fill(wsum, runs[3 * r], runs[3 * r] + runs[3 * r + 2], 0f);
        }
        done = finished;
        sink.accept(new Slab(axis, first, slabDims, out));
    }

    private static int addRun(int[] runs, int n, int src, int dst, int len) {
        runs[3 * n] = src;
        runs[3 * n + 1] = dst;
        runs[3 * n + 2] = len;
        return n + 1;
    }
}
