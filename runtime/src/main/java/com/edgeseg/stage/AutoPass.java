package com.edgeseg.stage;

import com.edgeseg.network.EncodedWindow;
import com.edgeseg.network.Vista3dNetwork;
import com.edgeseg.window.Slab;
import com.edgeseg.window.SlabStitcher;
import com.edgeseg.window.SlidingWindowPlan;
import com.edgeseg.window.Window;
import java.util.List;
import java.util.function.Consumer;

/**
 * One pass of dense automatic segmentation over a window lattice (§4.1) for a fixed list of classes: accepts one
 * window's encoder output at a time, in plan order, runs the auto features on it and blends them into a
 * {@link SlabStitcher}; every finished slab goes to the sink as soon as no later window touches it.
 *
 * <p>The blend is of the class head's features F' (C channels), not of per-class logits: a logit is linear in F'
 * (reference §2.3), so the blend of logits equals the logits of the blend up to float rounding, and the stitching
 * ring, the window buffers and the blending work no longer grow with the number of classes (docs/fidelity.md, Q44).
 * Holds its state in fields, so a batch loop and an actor drive the same object.
 */
public final class AutoPass {
    private final Vista3dNetwork network;
    private final SlidingWindowPlan plan;
    private final long[] classIds;
    private final SlabStitcher stitcher;
    private final StageTimings timings;
    private int accepted;
    private final Consumer<FeatureSlab> sink;
    /** One window of features, reused for every window (the stitcher copies what it needs). */
    private float[] featureBuffer;
    private float[][] embeddings;

    /**
     * @param classIds the classes of this pass (their vectors score every finished slab)
     * @param sink     receives the finished slabs in stream order ({@link SlidingWindowPlan#order()})
     * @param timings  where the auto head and stitching time goes
     */
    public AutoPass(Vista3dNetwork network, SlidingWindowPlan plan, long[] classIds, Consumer<FeatureSlab> sink,
                    StageTimings timings) {
        if (classIds.length == 0) {
            throw new IllegalArgumentException("an auto pass needs at least one class id");
        }
        this.network = network;
        this.plan = plan;
        this.classIds = classIds.clone();
        this.sink = sink;
        this.stitcher = new SlabStitcher(plan, network.featureChannels(), this::emit);
        this.timings = timings;
    }

    public SlidingWindowPlan plan() {
        return plan;
    }

    /** The window whose encoder output the pass needs next, or null when every window has been accepted. */
    public Window nextWindow() {
        List<Window> all = plan.windows();
        return accepted < all.size() ? all.get(accepted) : null;
    }

    /**
     * Runs the auto features on {@code encoded} (the encoder output of {@link #nextWindow()}) and blends them in.
     *
     * @throws IllegalStateException when {@code encoded} is not the window the pass expects next
     */
    public void accept(EncodedWindow encoded) {
        Window expected = nextWindow();
        if (expected == null || !expected.key().equals(encoded.key())) {
            throw new IllegalStateException("auto pass expects the encoder output of "
                    + (expected == null ? "no further window" : expected) + ", got window " + encoded.key());
        }
        if (embeddings == null) {
            embeddings = timings.time("auto head", () -> network.classEmbeddings(classIds));
        }
        float[] features = timings.time("auto head", () -> network.autoFeatures(encoded, featureBuffer));
        featureBuffer = features;
        timings.time("stitch", () -> {
            stitcher.add(expected, features);
            return null;
        });
        accepted++;
    }

    private void emit(Slab features) {
        sink.accept(new FeatureSlab(features, embeddings));
    }

    /** True once every window has been accepted (and so every slab emitted). */
    public boolean finished() {
        return stitcher.finished();
    }
}
