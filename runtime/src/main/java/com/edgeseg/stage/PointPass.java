package com.edgeseg.stage;

import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.merge.ComponentMerge;
import com.edgeseg.network.EncodedWindow;
import com.edgeseg.network.Vista3dNetwork;
import com.edgeseg.window.Click;
import com.edgeseg.window.PointWindow;
import com.edgeseg.window.PointWindowPlan;
import com.edgeseg.window.PointWindowRules;
import com.edgeseg.window.PointWindowStitcher;
import java.util.List;

/**
 * One object's clicks through click-centred windows (§4.2) with the merge of §3.4 inside each window: accepts one
 * point window's encoder output at a time, in plan order, runs the heads the {@link PointWindowRules} ask for, merges
 * the point logits into the window's base and stitches the result; {@link #finish()} returns the object's logits on
 * the plan's image grid. Holds its state in fields, so a batch loop and an actor drive the same object.
 */
public final class PointPass {
    private final Vista3dNetwork network;
    private final PointWindowPlan plan;
    private final PointPrompt prompt;
    private final PointWindowRules rules;
    private final PointWindowStitcher stitcher;
    private final ComponentMerge merge;
    private final MergeObserver observer;
    private final StageTimings timings;
    private final long[] classIds;
    private int accepted;

    /**
     * @param base     logits of the object over the plan's image to edit (a previous result, or the class's dense
     *                 automatic result), or null; not modified
     * @param observer sees every merge ({@link MergeObserver#NONE} in production)
     */
    public PointPass(Vista3dNetwork network, PointWindowPlan plan, PointPrompt prompt, float[] base,
                     FidelityProfile profile, MergeObserver observer, StageTimings timings) {
        this.network = network;
        this.plan = plan;
        this.prompt = prompt;
        this.rules = new PointWindowRules(profile);
        this.stitcher = new PointWindowStitcher(plan, profile, base);
        this.merge = new ComponentMerge(profile);
        this.observer = observer;
        this.timings = timings;
        this.classIds = prompt.classId().isPresent() ? new long[] {prompt.classId().getAsInt()} : null;
    }

    public PointWindowPlan plan() {
        return plan;
    }

    /** The point window the pass handles next, or null when all are done. */
    public PointWindow nextWindow() {
        List<PointWindow> all = plan.windows();
        return accepted < all.size() ? all.get(accepted) : null;
    }

    /** Whether {@link #nextWindow()} needs an encoder output; if not, call {@link #acceptWithoutEncoder()}. */
    public boolean needsEncoder() {
        PointWindow w = nextWindow();
        return w != null && rules.action(w, classIds != null) != PointWindowRules.Action.NO_PROMPT;
    }

    /** Handles a window in which no usable click lies and no class is asked for: the network would not run. */
    public void acceptWithoutEncoder() {
        if (needsEncoder() || nextWindow() == null) {
            throw new IllegalStateException("the next point window needs its encoder output");
        }
        stitcher.addEmpty(nextWindow());
        accepted++;
    }

    /**
     * Runs the heads on {@code encoded} (the encoder output of {@link #nextWindow()}), merges and stitches.
     *
     * @throws IllegalStateException when {@code encoded} is not the window the pass expects next
     */
    public void accept(EncodedWindow encoded) {
        PointWindow pw = nextWindow();
        if (pw == null || !pw.window().key().equals(encoded.key())) {
            throw new IllegalStateException("point pass expects the encoder output of "
                    + (pw == null ? "no further window" : pw.window()) + ", got window " + encoded.key());
        }
        float[] auto = classIds == null ? null : timings.time("auto head", () -> network.autoLogits(encoded, classIds));
        float[] out;
        if (rules.action(pw, classIds != null) == PointWindowRules.Action.AUTO_ONLY) {
            out = auto;
        } else {
            List<Click> local = pw.usedClicks();
            float[] point = timings.time("point head", () -> network.pointLogits(encoded,
                    new float[][][] {coords(local)}, new long[][] {labels(local)},
                    new boolean[] {prompt.zeroShot()}));
            float[] base = auto != null ? auto : stitcher.baseWindow(pw);
            if (base == null) {
                out = point;
            } else {
                out = timings.time("merge", () -> merge.merge(plan.roi(), base, point, local));
                observer.merged(pw.window(), base, point, local, merge, out);
            }
        }
        float[] result = out;
        timings.time("stitch", () -> {
            stitcher.add(pw, result);
            return null;
        });
        accepted++;
    }

    /** True once every window has been handled. */
    public boolean finished() {
        return accepted == plan.windows().size();
    }

    /** The object's stitched logits on the plan's image grid. */
    public float[] finish() {
        if (!finished()) {
            throw new IllegalStateException("point pass finished after " + accepted + " of " + plan.windows().size()
                    + " windows");
        }
        return stitcher.finish();
    }

    private static float[][] coords(List<Click> clicks) {
        float[][] c = new float[clicks.size()][];
        for (int i = 0; i < c.length; i++) {
            Click k = clicks.get(i);
            c[i] = new float[] {(float) k.x0(), (float) k.x1(), (float) k.x2()};
        }
        return c;
    }

    private static long[] labels(List<Click> clicks) {
        long[] l = new long[clicks.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = clicks.get(i).label();
        }
        return l;
    }
}
