package com.edgeseg.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.engine.EngineOptions;
import com.edgeseg.export.PackageCache;
import com.edgeseg.geometry.Dims;
import com.edgeseg.network.EncodedWindow;
import com.edgeseg.network.Vista3dNetwork;
import com.edgeseg.pkg.ModelPackage;
import com.edgeseg.window.Slab;
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
 * An auto pass takes one encoder output at a time, only of the window it expects next (the encoder output knows its
 * window), and hands finished slabs along the stream axis to its sink before the last window has run.
 */
class AutoPassStreamsSlabsTest {
    @Test
    void slabsLeaveInSliceOrderBeforeTheLastWindow() {
        Path weights = Path.of(System.getProperty("edgeseg.shared")).resolve("vectors/net-w8-a/weights.npz");
        ModelPackage pkg = PackageCache.forWeights(weights, new PrintStream(OutputStream.nullOutputStream()));
        Dims image = new Dims(16, 16, 40);
        float[] pixels = new float[image.voxelCount()];
        SplittableRandom rnd = new SplittableRandom(3);
        for (int v = 0; v < pixels.length; v++) {
            pixels[v] = (float) rnd.nextDouble();
        }
        WindowSettings settings = WindowSettings.bundleDefaults().withRoi(new Dims(16, 16, 16));
        SlidingWindowPlan plan = SlidingWindowPlan.streaming(image, settings, new StreamOrder(2, false));
        assertEquals(3, plan.windows().size());
        List<FeatureSlab> slabs = new ArrayList<>();
        List<Integer> windowsDoneAtSlab = new ArrayList<>();
        int[] done = {0};
        try (Vista3dNetwork net = Vista3dNetwork.open(pkg, EngineOptions.defaults().withThreads(1))) {
            AutoPass pass = new AutoPass(net, plan, new long[] {1, 3}, slab -> {
                slabs.add(slab);
                windowsDoneAtSlab.add(done[0]);
            }, new StageTimings());
            Window last = plan.windows().get(2);
            try (EncodedWindow wrong = net.encode(plan.extract(pixels, last), last)) {
                assertEquals(last.key(), wrong.key(), "an encoder output knows its window");
                assertThrows(IllegalStateException.class, () -> pass.accept(wrong), "not the window expected next");
            }
            for (Window w = pass.nextWindow(); w != null; w = pass.nextWindow()) {
                try (EncodedWindow e = net.encode(plan.extract(pixels, w), w)) {
                    done[0]++;
                    pass.accept(e);
                }
            }
            assertTrue(pass.finished());
            assertNull(pass.nextWindow());
        }
        assertFalse(slabs.isEmpty());
        assertEquals(1, windowsDoneAtSlab.get(0), "planes 0..11 are final after the first window");
        int next = 0;
        for (FeatureSlab f : slabs) {
            Slab s = f.features();
            assertEquals(2, s.axis());
            assertEquals(next, s.firstPlane());
            assertEquals(8, s.channelCount(), "the blend carries the width-8 auto features, not the classes");
            assertEquals(2, f.classCount());
            next += s.planes();
        }
        assertEquals(40, next);
    }
}
