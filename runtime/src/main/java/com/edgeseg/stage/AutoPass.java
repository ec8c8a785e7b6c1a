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
 * window's encoder output at a time, in plan order, runs the auto head on it and blends the logits into a
 * {@link SlabStitcher}; every finished slab (all classes) goes to the sink as soon as no later window touches it.
 * Holds its state in fields, so a batch loop and an actor drive the same object.
 */
public final class AutoPass {
    private final Vista3dNetwork network;
    private final SlidingWindowPlan plan;
    private final long[] classIds;
    private final SlabStitcher stitcher;
    private final StageTimings timings;
    private int accepted;
    /** One window of logits, reused for every window (the stitcher copies what it needs). */
    private float[] logitsBuffer;

    /**
     * @param classIds the classes of this pass (one auto-head call per window scores them all)
     * @param sink     receives the finished slabs in stream order ({@link SlidingWindowPlan#order()})
     * @param timings  where the auto head and stitching time goes
     */
    public AutoPass(Vista3dNetwork network, SlidingWindowPlan plan, long[] classIds, Consumer<Slab> sink,
                    StageTimings timings) {
        if (classIds.length == 0) {
            throw new IllegalArgumentException("an auto pass needs at least one class id");
        }
        this.network = network;
        this.plan = plan;
        this.classIds = classIds.clone();
        this.stitcher = new SlabStitcher(plan, classIds.length, sink);
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
     * Scores the pass's classes on {@code encoded} (the encoder output of {@link #nextWindow()}) and blends them in.
     *
     * @throws IllegalStateException when {@code encoded} is not the window the pass expects next
     */
    public void accept(EncodedWindow encoded) {
        Window expected = nextWindow();
        if (expected == null || !expected.key().equals(encoded.key())) {
            throw new IllegalStateException("auto pass expects the encoder output of "
                    + (expected == null ? "no further window" : expected) + ", got window " + encoded.key());
        }
        float[] logits = timings.time("auto head", () -> network.autoLogits(encoded, classIds, logitsBuffer));
        logitsBuffer = logits;
        timings.time("stitch", () -> {
            stitcher.add(expected, logits);
            return null;
        });
        accepted++;
    }

    /** True once every window has been accepted (and so every slab emitted). */
    public boolean finished() {
        return stitcher.finished();
    }
}
