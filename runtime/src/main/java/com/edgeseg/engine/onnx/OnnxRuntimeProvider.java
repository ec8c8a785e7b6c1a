package com.edgeseg.engine.onnx;

import com.edgeseg.engine.EngineOptions;
import com.edgeseg.engine.EngineProvider;
import com.edgeseg.engine.InferenceEngine;
import java.nio.file.Path;

/** ONNX Runtime on the CPU: always present, the engine CI tests. Registered for {@link java.util.ServiceLoader}. */
public final class OnnxRuntimeProvider implements EngineProvider {
    public static final String NAME = EngineOptions.DEFAULT_PROVIDER;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean isAvailable() {
        try {
            ai.onnxruntime.OrtEnvironment.getEnvironment();
            return true;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @Override
    public InferenceEngine open(Path onnxModel, EngineOptions options) {
        return OnnxRuntimeEngine.open(onnxModel, options);
    }
}
