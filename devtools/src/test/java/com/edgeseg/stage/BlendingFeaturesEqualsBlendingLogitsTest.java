package com.edgeseg.stage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.engine.EngineOptions;
import com.edgeseg.export.PackageCache;
import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.Dims;
import com.edgeseg.network.EncodedWindow;
import com.edgeseg.network.Vista3dNetwork;
import com.edgeseg.pkg.ModelPackage;
import com.edgeseg.postprocess.ArgmaxAccumulator;
import com.edgeseg.window.Slab;
import com.edgeseg.window.SlabStitcher;
import com.edgeseg.window.SlidingWindowPlan;
import com.edgeseg.window.StreamOrder;
import com.edgeseg.window.Window;
import com.edgeseg.window.WindowSettings;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The auto pass blends the class head's features F' and scores the classes after the blend; since a logit is a dot
 * product with F' (reference §2.3), that must equal blending each window's class logits (the reference's way) up to
 * float rounding, on a lattice that overlaps along all three axes. And the block-wise argmax over scored features
 * must be exactly the channel-by-channel argmax over the same logits, along every stream axis.
 */
class BlendingFeaturesEqualsBlendingLogitsTest {
    private static final long[] IDS = {1, 3, 14, 57, 121};

    @Test
    void featureBlendMatchesLogitBlendAndArgmax() {
        Path weights = Path.of(System.getProperty("edgeseg.shared")).resolve("vectors/net-w8-a/weights.npz");
        ModelPackage pkg = PackageCache.forWeights(weights, new PrintStream(OutputStream.nullOutputStream()));
        Dims image = new Dims(24, 28, 40);
        float[] pixels = new float[image.voxelCount()];
        SplittableRandom rnd = new SplittableRandom(11);
        for (int v = 0; v < pixels.length; v++) {
            pixels[v] = (float) rnd.nextDouble();
        }
        WindowSettings settings = WindowSettings.bundleDefaults().withRoi(new Dims(16, 16, 16));
        List<Integer> ids = new ArrayList<>();
        for (long id : IDS) {
            ids.add((int) id);
        }
        try (Vista3dNetwork net = Vista3dNetwork.open(pkg, EngineOptions.defaults().withThreads(1))) {
            for (int axis = 0; axis < 3; axis++) {
                SlidingWindowPlan plan = SlidingWindowPlan.streaming(image, settings, new StreamOrder(axis, axis == 1));
                assertTrue(plan.windows().size() >= 8, "windows overlap along every axis: " + plan.windows().size());

                // the reference's way: every window's class logits, blended
                float[][] byLogits = new float[IDS.length][image.voxelCount()];
                SlabStitcher logitStitcher = new SlabStitcher(plan, IDS.length, slab -> {
                    for (int c = 0; c < IDS.length; c++) {
                        slab.copyInto(c, byLogits[c], image);
                    }
                });
                // the product's way: the features blended, classes scored per finished slab
                float[][] byFeatures = new float[IDS.length][image.voxelCount()];
                ArgmaxAccumulator blockwise = new ArgmaxAccumulator(FidelityProfile.product(), image.voxelCount(), IDS.length);
                ArgmaxAccumulator channelwise = new ArgmaxAccumulator(FidelityProfile.product(), image.voxelCount(), IDS.length);
                AutoPass pass = new AutoPass(net, plan, IDS, scored -> {
                    Slab f = scored.features();
                    float[][] logits = new float[IDS.length][];
                    for (int c = 0; c < IDS.length; c++) {
                        scored.copyLogitsInto(c, byFeatures[c], image);
                        logits[c] = scored.logits(c);
                    }
                    blockwise.fold(f, scored.embeddings(), ids, image);
                    channelwise.fold(new Slab(f.axis(), f.firstPlane(), f.dims(), logits), ids, image);
                }, new StageTimings());
                for (Window w = pass.nextWindow(); w != null; w = pass.nextWindow()) {
                    try (EncodedWindow e = net.encode(plan.extract(pixels, w), w)) {
                        logitStitcher.add(w, net.autoLogits(e, IDS));
                        pass.accept(e);
                    }
                }
                double maxAbs = 0;
                double maxDiff = 0;
                for (int c = 0; c < IDS.length; c++) {
                    for (int v = 0; v < image.voxelCount(); v++) {
                        maxAbs = Math.max(maxAbs, Math.abs(byLogits[c][v]));
                        maxDiff = Math.max(maxDiff, Math.abs(byLogits[c][v] - byFeatures[c][v]));
                    }
                }
                assertTrue(maxAbs > 0.1, "the logits are not trivially zero");
                assertTrue(maxDiff <= 1e-5 * maxAbs, "axis " + axis + ": blended features give logits off by "
                        + maxDiff + " (largest logit " + maxAbs + ")");
                assertArrayEquals(channelwise.labels(), blockwise.labels(), "axis " + axis);
                byte[] labels = blockwise.labels();
                int background = 0;
                for (byte b : labels) {
                    background += b == 0 ? 1 : 0;
                }
                assertTrue(background > 0 && background < labels.length, "both classes and background occur");
            }
        }
    }
}
