package com.edgeseg.segment;

import com.edgeseg.network.EncodedWindow;
import com.edgeseg.network.Vista3dNetwork;
import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.Dims;
import com.edgeseg.merge.ComponentMerge;
import com.edgeseg.merge.KeepComponents;
import com.edgeseg.postprocess.LabelAssembler;
import com.edgeseg.volume.Volume;
import com.edgeseg.window.Click;
import com.edgeseg.window.PointWindow;
import com.edgeseg.window.PointWindowPlan;
import com.edgeseg.window.PointWindowStitcher;
import com.edgeseg.window.Slab;
import com.edgeseg.window.SlabStitcher;
import com.edgeseg.window.SlidingWindowPlan;
import com.edgeseg.window.Window;
import com.edgeseg.window.WindowSettings;
import java.util.List;
import java.util.function.Consumer;

/**
 * The reference's two inferers (§4.1 dense sliding window, §4.2 point-centred windows) on an image that is already
 * in network space, driving the three engines window by window. Every method is a pure function of its
 * arguments and the package's weights, so a ledger can replay it; the fidelity profile decides each §8 quirk.
 */
public final class NetworkSpacePipeline {
    private final Vista3dNetwork network;
    private final WindowSettings windows;
    private final FidelityProfile profile;

    public NetworkSpacePipeline(Vista3dNetwork network, WindowSettings windows, FidelityProfile profile) {
        this.network = network;
        this.windows = windows;
        this.profile = profile;
    }

    public FidelityProfile profile() {
        return profile;
    }

    /**
     * Dense automatic segmentation of {@code classIds}: logits are blended slab by slab along axis 0 and each
     * finished slab (all channels) goes to {@code sink} as soon as no later window touches it.
     */
    public void autoSlabs(Volume image, long[] classIds, ProgressListener progress, StageTimings timings,
                          Consumer<Slab> sink) {
        SlidingWindowPlan plan = SlidingWindowPlan.of(image.dims(), windows);
        SlabStitcher stitcher = new SlabStitcher(plan, classIds.length, sink);
        float[] pixels = image.toArray();
        List<Window> all = plan.windows();
        for (int w = 0; w < all.size(); w++) {
            Window window = all.get(w);
            float[] patch = timings.time("window", () -> plan.extract(pixels, window));
            float[] logits;
            try (EncodedWindow encoded = timings.time("encoder", () -> network.encode(patch, plan.roi()))) {
                logits = timings.time("auto head", () -> network.autoLogits(encoded, classIds));
            }
            timings.time("stitch", () -> {
                stitcher.add(window, logits);
                return null;
            });
            progress.progress("auto windows", w + 1, all.size());
        }
    }

    /** Dense automatic logits {@code [classes][voxels]} of a whole (small) image, for checks and single classes. */
    public float[][] autoLogits(Volume image, long[] classIds, ProgressListener progress, StageTimings timings) {
        Dims d = image.dims();
        int plane = d.n1() * d.n2();
        float[][] out = new float[classIds.length][d.voxelCount()];
        autoSlabs(image, classIds, progress, timings, slab -> {
            for (int c = 0; c < classIds.length; c++) {
                float[] ch = slab.channels()[c];
                System.arraycopy(ch, 0, out[c], slab.firstPlane() * plane, ch.length);
            }
        });
        return out;
    }

    /**
     * One object's clicks through point-centred windows (§4.2) with the merge of §3.4 inside each window.
     *
     * @param previous logits of the same object over the whole image to edit (previous result or the dense auto
     *                 result), or null: then the parity profile leaves NaN outside the click windows
     * @return the object's logits over the whole image
     */
    public float[] pointLogits(Volume image, PointPrompt prompt, float[] previous, ProgressListener progress,
                               StageTimings timings) {
        return pointLogits(image, prompt, previous, progress, timings, null);
    }

    /** As {@link #pointLogits(Volume, PointPrompt, float[], ProgressListener, StageTimings)}, recording near ties. */
    public float[] pointLogits(Volume image, PointPrompt prompt, float[] previous, ProgressListener progress,
                               StageTimings timings, com.edgeseg.stage.MergeObserver ties) {
        Dims d = image.dims();
        PointWindowPlan plan = PointWindowPlan.of(d, windows.roi().toArray(), prompt.clicks(), prompt.pointStart(), profile,
                windows.pointWindow());
        PointWindowStitcher stitcher = new PointWindowStitcher(plan, profile, previous);
        ComponentMerge merge = new ComponentMerge(profile);
        float[] pixels = image.toArray();
        long[] classIds = prompt.classId().isPresent() ? new long[] {prompt.classId().getAsInt()} : null;
        List<PointWindow> all = plan.windows();
        for (int w = 0; w < all.size(); w++) {
            PointWindow pw = all.get(w);
            float[] patch = timings.time("window", () -> plan.extract(pixels, pw.window()));
            List<Click> local = pw.usedClicks();
            if (local.isEmpty() && classIds == null) {
                // No usable click inside and no class: the reference network returns its "no prompt" fill.
                stitcher.addEmpty(pw);
                progress.progress("click windows", w + 1, all.size());
                continue;
            }
            float[] out;
            try (EncodedWindow encoded = timings.time("encoder", () -> network.encode(patch, plan.roi()))) {
                float[] auto = classIds == null ? null
                        : timings.time("auto head", () -> network.autoLogits(encoded, classIds));
                if (local.isEmpty()) {
                    // No click survives inside this window: the network ignores the points (§2.5 step 2).
                    out = auto;
                } else {
                    float[] point = timings.time("point head", () -> network.pointLogits(encoded,
                            new float[][][] {coords(local)}, new long[][] {labels(local)},
                            new boolean[] {prompt.zeroShot()}));
                    float[] base = auto != null ? auto : stitcher.baseWindow(pw);
                    out = base == null ? point
                            : timings.time("merge", () -> merge.merge(plan.roi(), base, point, local));
                    if (ties != null && base != null) {
                        ties.merged(pw.window(), base, point, local, merge, out);
                    }
                }
            }
            final float[] windowOut = out;
            timings.time("stitch", () -> {
                stitcher.add(pw, windowOut);
                return null;
            });
            progress.progress("click windows", w + 1, all.size());
        }
        return stitcher.finish();
    }

    /**
     * One object's final logits and labels (network space) for a click call, as the profile decides: in product
     * mode clicks with a supported class correct that class's dense automatic result, which stays in force
     * outside the click windows; in parity mode the outside is "not computed" (§3.2 consequence (b)).
     *
     * @param previous the object's logits to edit, or null
     * @param label    the id written for the object's voxels
     */
    public ObjectResult objectLabels(Volume image, PointPrompt prompt, float[] previous, int label,
                                     ProgressListener progress, StageTimings timings) {
        return objectLabels(image, prompt, previous, label, progress, timings, null);
    }

    /** As {@link #objectLabels(Volume, PointPrompt, float[], int, ProgressListener, StageTimings)}, recording near ties. */
    public ObjectResult objectLabels(Volume image, PointPrompt prompt, float[] previous, int label,
                                     ProgressListener progress, StageTimings timings, com.edgeseg.stage.MergeObserver ties) {
        Dims d = image.dims();
        float[] base = previous;
        if (base == null && prompt.classId().isPresent() && !profile.referenceNaN()) {
            base = autoLogits(image, new long[] {prompt.classId().getAsInt()}, progress, timings)[0];
        }
        float[] logits = pointLogits(image, prompt, base, progress, timings, ties);
        float[] finalLogits = logits;
        if (prompt.classId().isEmpty() && !prompt.zeroShot() && previous == null) {
            // Clicks without a class: keep only what the positive clicks touch (§3.3 step 1).
            finalLogits = timings.time("post-process", () -> KeepComponents.apply(profile, d, logits, prompt.clicks()));
        }
        float[] kept = finalLogits;
        LabelAssembler assembler = new LabelAssembler(profile, List.of(label), 1);
        byte[] labels = timings.time("post-process", () -> assembler.assemble(new float[][] {kept}));
        return new ObjectResult(logits, labels);
    }

    /** The object's stitched logits (before the keep-components step) and its labels over the network-space image. */
    public record ObjectResult(float[] logits, byte[] labels) { }

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
