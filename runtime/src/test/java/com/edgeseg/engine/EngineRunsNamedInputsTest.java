package com.edgeseg.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ONNX Runtime provider is found by ServiceLoader, describes its tensors and runs into reusable buffers. */
class EngineRunsNamedInputsTest {
    @Test
    void describesRunsAndReusesOutputBuffers(@TempDir Path dir) throws Exception {
        Path model = TinyModels.twoOutputs(dir);
        assertTrue(Engines.providers().stream().anyMatch(p -> p.name().equals(EngineOptions.DEFAULT_PROVIDER)));
        try (InferenceEngine e = Engines.open(model, EngineOptions.defaults().withThreads(1))) {
            assertEquals(EngineOptions.DEFAULT_PROVIDER, e.providerName());
            assertEquals(List.of("x", "y", "ids"), e.inputs().stream().map(TensorSpec::name).toList());
            TensorSpec x = e.inputs().get(0);
            assertEquals(ElementType.FLOAT32, x.type());
            assertEquals(List.of(Dim.fixed(2), Dim.symbolic("N")), x.dims());
            assertEquals(List.of(Dim.symbolic("B")), e.inputs().get(2).dims());

            Map<String, Tensor> out = e.run(Map.of(
                    "x", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3),
                    "y", Tensor.of(new float[] {0, 1, 2, -1, 0.5f, 10}, 2, 3),
                    "ids", Tensor.of(new long[] {7, -1}, 2)));
            assertArrayEquals(new float[] {1, 4, 9, 0, 7.5f, 66}, out.get("scaled").toFloatArray());
            assertArrayEquals(new long[] {2, 3}, out.get("scaled").shape());
            assertArrayEquals(new long[] {8, 0}, out.get("next").toLongArray());

            Tensor buffer = Tensor.allocate(ElementType.FLOAT32, 2, 1);
            for (float v : new float[] {2, 3}) {
                Map<String, Tensor> r = e.run(Map.of(
                        "x", Tensor.of(new float[] {v, 1}, 2, 1),
                        "y", Tensor.of(new float[] {v, 1}, 2, 1),
                        "ids", Tensor.of(new long[] {0}, 1)), Map.of("scaled", buffer));
                assertSame(buffer, r.get("scaled"));
                assertArrayEquals(new float[] {v * v + v, 2}, buffer.toFloatArray());
            }
        }
    }
}
