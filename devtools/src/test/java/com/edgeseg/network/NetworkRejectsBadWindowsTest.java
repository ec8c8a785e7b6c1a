package com.edgeseg.network;

import com.edgeseg.engine.EngineOptions;
import com.edgeseg.engine.EngineInputException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.geometry.Dims;
import com.edgeseg.pkg.ModelPackage;
import com.edgeseg.export.PackageCache;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Windows and prompts the network cannot take are refused with the expected shape, before the runtime runs. */
class NetworkRejectsBadWindowsTest {
    @Test
    void badWindowAndPromptShapesAreTypedErrors() {
        Path weights = Path.of(System.getProperty("edgeseg.shared")).resolve("vectors/net-w8-a/weights.npz");
        ModelPackage pkg = PackageCache.forWeights(weights, new PrintStream(OutputStream.nullOutputStream()));
        try (Vista3dNetwork net = Vista3dNetwork.open(pkg, EngineOptions.defaults().withThreads(1))) {
            EngineInputException axis = assertThrows(EngineInputException.class,
                    () -> net.encode(new float[16 * 16 * 24], new Dims(16, 16, 24)));
            assertTrue(axis.getMessage().contains("multiple of 16"), axis.getMessage());
            assertThrows(EngineInputException.class, () -> net.encode(new float[10], new Dims(16, 16, 16)));
            try (EncodedWindow w = net.encode(new float[16 * 32 * 16], new Dims(16, 32, 16))) {
                assertEquals(new Dims(16, 32, 16), w.dims());
                assertEquals(2 * 16 * 32 * 16, net.autoLogits(w, new long[] {1, 3}).length);
                EngineInputException ragged = assertThrows(EngineInputException.class, () -> net.pointLogits(w,
                        new float[][][] {{{1, 2, 3}}, {{1, 2, 3}, {4, 5, 6}}}, new long[][] {{1}, {1, 0}}, new boolean[2]));
                assertTrue(ragged.getMessage().contains("N = 1"), ragged.getMessage());
                assertThrows(EngineInputException.class, () -> net.pointLogits(w,
                        new float[][][] {{{1, 2}}}, new long[][] {{1}}, new boolean[1]));
                assertThrows(EngineInputException.class, () -> net.pointLogits(w,
                        new float[][][] {{{1, 2, 3}}}, new long[][] {{7}}, new boolean[1]));
                assertThrows(EngineInputException.class, () -> net.autoLogits(w, new long[0]));
            }
        }
    }
}
