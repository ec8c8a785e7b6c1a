package com.edgeseg.segment;

import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.Dims;
import com.edgeseg.merge.KeepComponents;
import com.edgeseg.network.EncodedWindow;
import com.edgeseg.network.EncoderCache;
import com.edgeseg.network.Vista3dNetwork;
import com.edgeseg.postprocess.LabelAssembler;
import com.edgeseg.stage.AutoPass;
import com.edgeseg.stage.FeatureSlab;
import com.edgeseg.stage.MergeObserver;
import com.edgeseg.stage.PointPass;
import com.edgeseg.stage.PointPrompt;
import com.edgeseg.stage.StageTimings;
import com.edgeseg.volume.Volume;
import com.edgeseg.window.PointWindow;
import com.edgeseg.window.PointWindowPlan;
import com.edgeseg.window.SlidingWindowPlan;
import com.edgeseg.window.StreamOrder;
import com.edgeseg.window.Window;
import com.edgeseg.window.WindowSettings;
import java.util.List;
import java.util.function.Consumer;

/**
 * The reference's two inferers (§4.1 dense sliding window, §4.2 point-centred windows) on an image that is already
 * in network space: a batch loop that encodes each window and hands it to the per-window stages ({@link AutoPass},
 * {@link PointPass}) the streaming pipeline drives too. Every method is a pure function of its arguments and the
 * package's weights, so a ledger can replay it; the fidelity profile decides each §8 quirk and the window lattice.
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

    /** The dense window lattice of the profile for an image of {@code dims} streamed along {@code order}. */
    public SlidingWindowPlan lattice(Dims dims, StreamOrder order) {
        return SlidingWindowPlan.of(dims, windows, profile.lattice(), order);
    }

    /**
     * Dense automatic segmentation of {@code classIds} over {@code plan}: the auto features are blended slab by slab
     * along the plan's stream axis and each finished slab (with the classes' vectors) goes to {@code sink} as soon
     * as no later window touches it.
     */
    public void autoSlabs(Volume image, SlidingWindowPlan plan, long[] classIds, ProgressListener progress,
                          StageTimings timings, Consumer<FeatureSlab> sink) {
        AutoPass pass = new AutoPass(network, plan, classIds, sink, timings);
        float[] pixels = image.toArray();
        int total = plan.windows().size();
        for (Window window = pass.nextWindow(); window != null; window = pass.nextWindow()) {
            Window w = window;
            float[] patch = timings.time("window", () -> plan.extract(pixels, w));
            try (EncodedWindow encoded = timings.time("encoder", () -> network.encode(patch, w))) {
                pass.accept(encoded);
            }
            progress.progress("auto windows", w.index() + 1, total);
        }
    }

    /**
     * Dense automatic logits {@code [classes][voxels]} of a whole (small) image on the profile's lattice (streamed
     * along {@code order}), for checks and single classes.
     */
    public float[][] autoLogits(Volume image, StreamOrder order, long[] classIds, ProgressListener progress,
                                StageTimings timings) {
        Dims d = image.dims();
        float[][] out = new float[classIds.length][d.voxelCount()];
        autoSlabs(image, lattice(d, order), classIds, progress, timings, slab -> {
            for (int c = 0; c < classIds.length; c++) {
                slab.copyLogitsInto(c, out[c], d);
            }
        });
        return out;
    }

    /**
     * One object's clicks through point-centred windows (§4.2) with the merge of §3.4 inside each window.
     *
     * @param previous logits of the same object over the whole image to edit (previous result or the dense auto
     *                 result), or null: then the parity profile leaves NaN outside the click windows
     * @param observer sees every merge ({@link MergeObserver#NONE} in production)
     * @return the object's logits over the whole image
     */
    public float[] pointLogits(Volume image, PointPrompt prompt, float[] previous, ProgressListener progress,
                               StageTimings timings, MergeObserver observer) {
        return pointLogits(image, prompt, previous, progress, timings, observer, null);
    }

    /**
     * {@link #pointLogits(Volume, PointPrompt, float[], ProgressListener, StageTimings, MergeObserver)} taking encoder
     * outputs from {@code cache} (bound to {@code image}) where it has them; null = encode every window.
     */
    public float[] pointLogits(Volume image, PointPrompt prompt, float[] previous, ProgressListener progress,
                               StageTimings timings, MergeObserver observer, EncoderCache cache) {
        PointWindowPlan plan = PointWindowPlan.of(image.dims(), windows.clickRoi(profile.fastClickWindows()).toArray(), prompt.clicks(),
                prompt.pointStart(), profile, windows.pointWindow());
        PointPass pass = new PointPass(network, plan, prompt, previous, profile, observer, timings);
        float[] pixels = image.toArray();
        int total = plan.windows().size();
        int done = 0;
        for (PointWindow pw = pass.nextWindow(); pw != null; pw = pass.nextWindow()) {
            if (!pass.needsEncoder()) {
                pass.acceptWithoutEncoder();
            } else {
                Window w = pw.window();
                java.util.function.Supplier<EncodedWindow> encode = () -> {
                    float[] patch = timings.time("window", () -> plan.extract(pixels, w));
                    return timings.time("encoder", () -> network.encode(patch, w));
                };
                if (cache != null) {
                    pass.accept(cache.get(w, encode)); // the cache owns what it returns
                } else {
                    try (EncodedWindow encoded = encode.get()) {
                        pass.accept(encoded);
                    }
                }
            }
            progress.progress("click windows", ++done, total);
        }
        return pass.finish();
    }

    /**
     * One object's final logits and labels (network space) for a click call, as the profile decides: in product
     * mode clicks with a supported class correct that class's dense automatic result, which stays in force
     * outside the click windows; in parity mode the outside is "not computed" (§3.2 consequence (b)).
     *
     * @param order    the stream order of the image's dense lattice (for the automatic base)
     * @param previous the object's logits to edit, or null
     * @param label    the id written for the object's voxels
     * @param observer sees every merge ({@link MergeObserver#NONE} in production)
     */
    public ObjectResult objectLabels(Volume image, StreamOrder order, PointPrompt prompt, float[] previous, int label,
                                     ProgressListener progress, StageTimings timings, MergeObserver observer) {
        return objectLabels(image, order, prompt, previous, label, progress, timings, observer, null);
    }

    /** {@link #objectLabels} with the click windows' encoder outputs taken from {@code cache} where it has them. */
    public ObjectResult objectLabels(Volume image, StreamOrder order, PointPrompt prompt, float[] previous, int label,
                                     ProgressListener progress, StageTimings timings, MergeObserver observer,
                                     EncoderCache cache) {
        Dims d = image.dims();
        float[] base = previous;
        if (base == null && prompt.classId().isPresent() && !profile.referenceNaN()) {
            base = autoLogits(image, order, new long[] {prompt.classId().getAsInt()}, progress, timings)[0];
        }
        float[] logits = pointLogits(image, prompt, base, progress, timings, observer, cache);
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
}
