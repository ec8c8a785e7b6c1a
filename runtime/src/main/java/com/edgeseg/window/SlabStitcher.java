package com.edgeseg.window;

import com.edgeseg.geometry.Dims;
import java.util.List;
import java.util.function.Consumer;

/**
 * Blends dense window outputs into {@code sum(w * logits) / sum(w)} (§4.1 step 6) without a full-volume accumulator:
 * it keeps only the axis-0 planes that a window still to come may touch (at most one roi of planes) and hands every
 * finished range of planes to the sink as soon as the last window touching it has been added. Windows must be added in
 * plan order, which is also MONAI's order, so every voxel's sum is formed in the same order as the reference.
 */
public final class SlabStitcher {
    private final SlidingWindowPlan plan;
    private final int channels;
    private final Consumer<Slab> sink;
    private final float[] weights;
    private final int ring;
    private final int planeSize;
    private final float[][] acc;
    private final float[] wsum;
    private int next;
    private int emitted;

    /**
     * @param plan     the windows, in the order they will be added
     * @param channels number of logit channels per window
     * @param sink     receives each finished slab, in increasing plane order
     */
    public SlabStitcher(SlidingWindowPlan plan, int channels, Consumer<Slab> sink) {
        if (channels <= 0) {
            throw new IllegalArgumentException("channels must be positive, got " + channels);
        }
        this.plan = plan;
        this.channels = channels;
        this.sink = sink;
        this.weights = BlendWeights.of(plan.settings());
        Dims image = plan.image();
        this.ring = Math.min(plan.roi().n0(), image.n0());
        this.planeSize = image.n1() * image.n2();
        this.acc = new float[channels][Math.multiplyExact(ring, planeSize)];
        this.wsum = new float[ring * planeSize];
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
        int n1 = image.n1();
        int n2 = image.n2();
        int kLo = Math.max(0, -window.o2());
        int kHi = Math.min(roi.n2(), n2 - window.o2());
        for (int a = 0; a < roi.n0(); a++) {
            int i = window.o0() + a;
            if (i < 0 || i >= image.n0()) {
                continue;
            }
            int slot = (i % ring) * planeSize;
            for (int b = 0; b < roi.n1(); b++) {
                int j = window.o1() + b;
                if (j < 0 || j >= n1) {
                    continue;
                }
                int src = (a * roi.n1() + b) * roi.n2();
                int dst = slot + j * n2 + window.o2();
                for (int c = kLo; c < kHi; c++) {
                    wsum[dst + c] += weights[src + c];
                }
                for (int ch = 0; ch < channels; ch++) {
                    float[] acch = acc[ch];
                    int off = ch * roiVox + src;
                    for (int c = kLo; c < kHi; c++) {
                        acch[dst + c] += weights[src + c] * logits[off + c];
                    }
                }
            }
        }
        next++;
        int upTo = next < windows.size() ? Math.max(0, Math.min(windows.get(next).o0(), image.n0())) : image.n0();
        if (upTo > emitted) {
            emit(upTo);
        }
    }

    /** True once every window of the plan has been added (and so every plane emitted). */
    public boolean finished() {
        return next == plan.windows().size();
    }

    private void emit(int upTo) {
        Dims image = plan.image();
        int planes = upTo - emitted;
        float[][] out = new float[channels][planes * planeSize];
        for (int p = 0; p < planes; p++) {
            int slot = ((emitted + p) % ring) * planeSize;
            int dst = p * planeSize;
            for (int ch = 0; ch < channels; ch++) {
                float[] a = acc[ch];
                float[] o = out[ch];
                for (int v = 0; v < planeSize; v++) {
                    o[dst + v] = a[slot + v] / wsum[slot + v];
                }
                java.util.Arrays.fill(a, slot, slot + planeSize, 0f);
            }
            java.util.Arrays.fill(wsum, slot, slot + planeSize, 0f);
        }
        Slab slab = new Slab(emitted, new Dims(planes, image.n1(), image.n2()), out);
        emitted = upTo;
        sink.accept(slab);
    }
}
