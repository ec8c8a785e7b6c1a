package com.edgeseg.network;

import com.edgeseg.engine.EngineException;
import com.edgeseg.engine.EngineOptions;
import com.edgeseg.engine.EngineProvider;
import com.edgeseg.engine.InferenceEngine;
import com.edgeseg.engine.Tensor;
import com.edgeseg.engine.TensorSpec;
import com.edgeseg.engine.onnx.OnnxRuntimeProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection for the restart test: the real ONNX Runtime engine, except that the next run of the engine file
 * named in {@link #failNextRunOf} throws an {@link EngineException} as a crashed native session would. (A real
 * runtime failure cannot be produced on demand.) Counts the sessions it opened.
 */
public final class FailingOnceProvider implements EngineProvider {
    static final String NAME = "onnxruntime-cpu-failing-once";
    static volatile String failNextRunOf;
    static final AtomicInteger opened = new AtomicInteger();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public InferenceEngine open(Path onnxModel, EngineOptions options) {
        InferenceEngine real = new OnnxRuntimeProvider().open(onnxModel, options.withProvider(OnnxRuntimeProvider.NAME));
        opened.incrementAndGet();
        String file = onnxModel.getFileName().toString();
        return new InferenceEngine() {
            private boolean closed;

            @Override
            public String providerName() {
                return NAME;
            }

            @Override
            public List<TensorSpec> inputs() {
                return real.inputs();
            }

            @Override
            public List<TensorSpec> outputs() {
                return real.outputs();
            }

            @Override
            public Map<String, Tensor> run(Map<String, Tensor> inputs) {
                return run(inputs, Map.of());
            }

            @Override
            public Map<String, Tensor> run(Map<String, Tensor> inputs, Map<String, Tensor> outputs) {
                if (closed) {
                    throw new EngineException(file + ": session is closed");
                }
                if (file.equals(failNextRunOf)) {
                    failNextRunOf = null;
                    throw new EngineException(file + ": injected runtime failure");
                }
                return outputs.isEmpty() ? real.run(inputs) : real.run(inputs, outputs);
            }

            @Override
            public void close() {
                closed = true;
                real.close();
            }
        };
    }
}
