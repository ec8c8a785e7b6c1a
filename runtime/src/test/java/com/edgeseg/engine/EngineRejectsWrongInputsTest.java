package com.edgeseg.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs of the wrong shape, type or name are refused before the runtime sees them, saying what was expected. */
class EngineRejectsWrongInputsTest {
    @Test
    void wrongShapeTypeOrNameIsATypedError(@TempDir Path dir) throws Exception {
        try (InferenceEngine e = Engines.open(TinyModels.twoOutputs(dir), EngineOptions.defaults().withThreads(1))) {
            Tensor ids = Tensor.of(new long[] {1}, 1);
            EngineInputException fixed = assertThrows(EngineInputException.class, () -> e.run(Map.of(
                    "x", Tensor.of(new float[] {1, 2, 3}, 3, 1), "y", Tensor.of(new float[] {1, 2}, 2, 1), "ids", ids)));
            assertTrue(fixed.getMessage().contains("'x' expected float32 [2, N]"), fixed.getMessage());
            assertTrue(fixed.getMessage().contains("got float32 [3, 1]"), fixed.getMessage());

            EngineInputException symbol = assertThrows(EngineInputException.class, () -> e.run(Map.of(
                    "x", Tensor.of(new float[] {1, 2}, 2, 1), "y", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2), "ids", ids)));
            assertTrue(symbol.getMessage().contains("'y'") && symbol.getMessage().contains("N=1"), symbol.getMessage());

            EngineInputException type = assertThrows(EngineInputException.class, () -> e.run(Map.of(
                    "x", Tensor.of(new float[] {1, 2}, 2, 1), "y", Tensor.of(new float[] {1, 2}, 2, 1),
                    "ids", Tensor.of(new float[] {1}, 1))));
            assertTrue(type.getMessage().contains("expected int64 [B]"), type.getMessage());

            assertThrows(EngineInputException.class, () -> e.run(Map.of(
                    "x", Tensor.of(new float[] {1, 2}, 2, 1), "y", Tensor.of(new float[] {1, 2}, 2, 1))));
            assertThrows(EngineInputException.class, () -> e.run(Map.of(
                    "x", Tensor.of(new float[] {1, 2}, 2, 1), "y", Tensor.of(new float[] {1, 2}, 2, 1), "ids", ids,
                    "z", ids)));
            EngineInputException out = assertThrows(EngineInputException.class, () -> e.run(Map.of(
                    "x", Tensor.of(new float[] {1, 2}, 2, 1), "y", Tensor.of(new float[] {1, 2}, 2, 1), "ids", ids),
                    Map.of("scaled", Tensor.allocate(ElementType.FLOAT32, 2, 2))));
            assertTrue(out.getMessage().contains("output buffer 'scaled'"), out.getMessage());
        }
    }

    @Test
    void missingModelOrProviderIsATypedError(@TempDir Path dir) {
        assertThrows(EngineException.class, () -> Engines.open(dir.resolve("none.onnx"), EngineOptions.defaults()));
        assertThrows(EngineException.class,
                () -> Engines.open(dir.resolve("none.onnx"), EngineOptions.defaults().withProvider("tensorrt-fp16")));
    }
}
