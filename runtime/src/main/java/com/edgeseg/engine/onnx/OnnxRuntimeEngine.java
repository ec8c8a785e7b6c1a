package com.edgeseg.engine.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.edgeseg.engine.Dim;
import com.edgeseg.engine.ElementType;
import com.edgeseg.engine.EngineException;
import com.edgeseg.engine.EngineInputException;
import com.edgeseg.engine.EngineOptions;
import com.edgeseg.engine.InferenceEngine;
import com.edgeseg.engine.Tensor;
import com.edgeseg.engine.TensorSpec;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link InferenceEngine} on an ONNX Runtime CPU session. Direct tensors go in and out without copies. */
final class OnnxRuntimeEngine implements InferenceEngine {
    private final Path model;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;

    private OnnxRuntimeEngine(Path model, OrtEnvironment env, OrtSession session) throws OrtException {
        this.model = model;
        this.env = env;
        this.session = session;
        this.inputs = specs(session.getInputInfo());
        this.outputs = specs(session.getOutputInfo());
    }

    static OnnxRuntimeEngine open(Path model, EngineOptions options) {
        if (!Files.isRegularFile(model)) {
            throw new EngineException(model + ": no such model file");
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(options.effectiveThreads());
            so.setInterOpNumThreads(options.interOpThreads());
            so.setExecutionMode(options.interOpThreads() > 1
                    ? OrtSession.SessionOptions.ExecutionMode.PARALLEL
                    : OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setCPUArenaAllocator(options.cpuMemoryArena());
            so.setMemoryPatternOptimization(options.memoryPattern());
            OrtSession session = env.createSession(model.toString(), so);
            try {
                return new OnnxRuntimeEngine(model, env, session);
            } catch (OrtException e) {
                session.close();
                throw e;
            }
        } catch (OrtException e) {
            throw new EngineException(model + ": ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    private List<TensorSpec> specs(Map<String, NodeInfo> info) {
        List<TensorSpec> out = new ArrayList<>();
        for (NodeInfo n : info.values()) {
            if (!(n.getInfo() instanceof TensorInfo t)) {
                throw new EngineException(model + ": " + n.getName() + " is not a tensor; only tensor inputs and outputs are supported");
            }
            ElementType type = elementType(t.type, n.getName());
            long[] shape = t.getShape();
            String[] names = t.getDimensionNames();
            List<Dim> dims = new ArrayList<>();
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] >= 0) {
                    dims.add(Dim.fixed(shape[i]));
                } else {
                    String s = names != null && i < names.length && !names[i].isEmpty() ? names[i] : n.getName() + ":" + i;
                    dims.add(Dim.symbolic(s));
                }
            }
            out.add(new TensorSpec(n.getName(), type, dims));
        }
        return List.copyOf(out);
    }

    private ElementType elementType(OnnxJavaType t, String name) {
        return switch (t) {
            case FLOAT -> ElementType.FLOAT32;
            case DOUBLE -> ElementType.FLOAT64;
            case INT64 -> ElementType.INT64;
            case INT32 -> ElementType.INT32;
            case UINT8 -> ElementType.UINT8;
            case BOOL -> ElementType.BOOL;
            default -> throw new EngineException(model + ": " + name + " has unsupported element type " + t);
        };
    }

    private static OnnxJavaType javaType(ElementType t) {
        return switch (t) {
            case FLOAT32 -> OnnxJavaType.FLOAT;
            case FLOAT64 -> OnnxJavaType.DOUBLE;
            case INT64 -> OnnxJavaType.INT64;
            case INT32 -> OnnxJavaType.INT32;
            case UINT8 -> OnnxJavaType.UINT8;
            case BOOL -> OnnxJavaType.BOOL;
        };
    }

    @Override
    public String providerName() {
        return OnnxRuntimeProvider.NAME;
    }

    @Override
    public List<TensorSpec> inputs() {
        return inputs;
    }

    @Override
    public List<TensorSpec> outputs() {
        return outputs;
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> in) {
        return run(in, Map.of());
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> in, Map<String, Tensor> pinned) {
        Map<String, Long> bindings = new HashMap<>();
        for (TensorSpec s : inputs) {
            Tensor t = in.get(s.name());
            if (t == null) {
                throw new EngineInputException(name() + ": missing input '" + s.name() + "' (expected " + s.describe() + ")");
            }
            if (!s.matches(t.type(), t.shape(), bindings)) {
                throw new EngineInputException(name() + ": input '" + s.name() + "' expected " + s.describe()
                        + " (symbols bound so far " + bindings + "), got " + t);
            }
        }
        for (String k : in.keySet()) {
            if (inputs.stream().noneMatch(s -> s.name().equals(k))) {
                throw new EngineInputException(name() + ": unknown input '" + k + "'; inputs are " + names(inputs));
            }
        }
        for (Map.Entry<String, Tensor> e : pinned.entrySet()) {
            TensorSpec s = outputs.stream().filter(o -> o.name().equals(e.getKey())).findFirst()
                    .orElseThrow(() -> new EngineInputException(name() + ": unknown output '" + e.getKey() + "'; outputs are " + names(outputs)));
            Tensor t = e.getValue();
            if (!t.isDirect() || !s.matches(t.type(), t.shape(), new HashMap<>(bindings))) {
                throw new EngineInputException(name() + ": output buffer '" + s.name() + "' must be a direct tensor of "
                        + s.describe() + " under " + bindings + ", got " + t + (t.isDirect() ? "" : " (heap)"));
            }
        }
        Map<String, OnnxTensor> ortIn = new LinkedHashMap<>();
        Map<String, OnnxTensor> ortOut = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Tensor> e : in.entrySet()) {
                ortIn.put(e.getKey(), wrap(e.getValue()));
            }
            for (Map.Entry<String, Tensor> e : pinned.entrySet()) {
                ortOut.put(e.getKey(), wrap(e.getValue()));
            }
            Map<String, Tensor> result = new LinkedHashMap<>();
            java.util.Set<String> requested = new java.util.LinkedHashSet<>(names(outputs));
            requested.removeAll(ortOut.keySet());
            try (OrtSession.Result r = session.run(ortIn, requested, ortOut)) {
                for (Map.Entry<String, OnnxValue> e : r) {
                    Tensor p = pinned.get(e.getKey());
                    if (p != null) {
                        result.put(e.getKey(), p);
                        continue;
                    }
                    OnnxTensor v = (OnnxTensor) e.getValue();
                    TensorInfo info = v.getInfo();
                    ElementType type = elementType(info.type, e.getKey());
                    result.put(e.getKey(), Tensor.wrap(type, v.getByteBuffer().order(ByteOrder.nativeOrder()), info.getShape()));
                }
            }
            return result;
        } catch (OrtException e) {
            throw new EngineException(name() + ": run failed: " + e.getMessage(), e);
        } finally {
            ortIn.values().forEach(OnnxTensor::close);
            ortOut.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor wrap(Tensor t) throws OrtException {
        // a direct buffer is used in place; a heap buffer is copied by ONNX Runtime
        return OnnxTensor.createTensor(env, t.buffer(), t.shape(), javaType(t.type()));
    }

    private String name() {
        return model.getFileName().toString();
    }

    private static List<String> names(List<TensorSpec> specs) {
        return specs.stream().map(TensorSpec::name).toList();
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new EngineException(name() + ": closing the session failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "OnnxRuntimeEngine[" + model + ", in " + inputs + ", out " + outputs + "]";
    }
}
