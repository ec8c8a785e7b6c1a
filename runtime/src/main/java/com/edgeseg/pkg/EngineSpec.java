package com.edgeseg.pkg;

import com.edgeseg.engine.TensorSpec;
import java.util.List;

/** One engine of a package: its ONNX file (relative to the package folder) and declared inputs/outputs. */
public record EngineSpec(String role, String file, List<TensorSpec> inputs, List<TensorSpec> outputs) {
    public EngineSpec {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
