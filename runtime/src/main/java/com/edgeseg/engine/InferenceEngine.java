package com.edgeseg.engine;

import java.util.List;
import java.util.Map;

/**
 * One loaded model on one kind of hardware: the only seam between EdgeSeg and an inference runtime.
 * Not thread-safe: one run at a time per instance. Holds native memory until {@link #close()}.
 */
public interface InferenceEngine extends AutoCloseable {
    /** What the provider that opened this engine calls itself. */
    String providerName();

    List<TensorSpec> inputs();

    List<TensorSpec> outputs();

    /**
     * Runs the model and returns every output in a new tensor.
     *
     * @throws EngineInputException when an input is missing, unknown, or of the wrong type or shape
     */
    Map<String, Tensor> run(Map<String, Tensor> inputs);

    /**
     * Runs the model writing each named output into the caller's tensor (reusable across runs; direct tensors
     * avoid copies). Outputs not named in {@code outputs} are returned as new tensors.
     *
     * @throws EngineInputException also when an output buffer's type or shape differs from the actual output
     */
    Map<String, Tensor> run(Map<String, Tensor> inputs, Map<String, Tensor> outputs);

    @Override
    void close();
}
