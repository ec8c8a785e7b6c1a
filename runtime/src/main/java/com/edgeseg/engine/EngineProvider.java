package com.edgeseg.engine;

import java.nio.file.Path;

/**
 * A kind of inference engine (ONNX Runtime CPU, TensorRT ...), discovered with {@link java.util.ServiceLoader}:
 * implementations are listed in {@code META-INF/services/com.edgeseg.engine.EngineProvider}.
 */
public interface EngineProvider {
    /** The name {@link EngineOptions#provider()} selects, e.g. {@code "onnxruntime-cpu"}. */
    String name();

    /** Whether this provider can run here (libraries and hardware present). */
    boolean isAvailable();

    /** Opens an engine for one ONNX model file. */
    InferenceEngine open(Path onnxModel, EngineOptions options);
}
