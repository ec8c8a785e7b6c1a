package com.edgeseg.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.engine.EngineException;
import com.edgeseg.engine.EngineOptions;
import com.edgeseg.export.PackageCache;
import com.edgeseg.geometry.Dims;
import com.edgeseg.pkg.ModelPackage;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * When an engine's session fails at run time, the network closes that engine and opens it again from the package
 * before passing the failure on, so the caller's retry (a study retries a window once) runs on a fresh session and
 * gets the same result a healthy network gives; the other engines are untouched.
 */
class EngineRestartsAfterAFailureTest {
    @Test
    void aFailedEngineIsReopenedAndTheRetryGivesTheHealthyResult() {
        ModelPackage pkg = PackageCache.forWeights(Path.of(System.getProperty("edgeseg.shared"))
                .resolve("vectors/net-w8-a/weights.npz"), new PrintStream(OutputStream.nullOutputStream()));
        Dims dims = new Dims(16, 32, 16);
        float[] image = new float[dims.voxelCount()];
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < image.length; i++) {
            image[i] = (float) rnd.nextDouble();
        }
        float[] healthy;
        try (Vista3dNetwork net = Vista3dNetwork.open(pkg, EngineOptions.defaults().withThreads(1));
             EncodedWindow w = net.encode(image, dims)) {
            healthy = net.autoFeatures(w, null);
        }
        EngineOptions failing = EngineOptions.defaults().withThreads(1).withProvider(FailingOnceProvider.NAME);
        try (Vista3dNetwork net = Vista3dNetwork.open(pkg, failing)) {
            int sessions = FailingOnceProvider.opened.get();
            FailingOnceProvider.failNextRunOf = "encoder.onnx";
            EngineException e = assertThrows(EngineException.class, () -> net.encode(image, dims));
            assertTrue(e.getMessage().contains("injected"), e.getMessage());
            assertEquals(1, net.engineRestarts());
            assertEquals(sessions + 1, FailingOnceProvider.opened.get(), "only the failed engine was opened again");

            FailingOnceProvider.failNextRunOf = "auto_features.onnx";
            try (EncodedWindow w = net.encode(image, dims)) {
                assertThrows(EngineException.class, () -> net.autoFeatures(w, null));
                assertEquals(2, net.engineRestarts());
                assertArrayEquals(healthy, net.autoFeatures(w, null), "the retry on the new session");
            }
        }
    }
}
