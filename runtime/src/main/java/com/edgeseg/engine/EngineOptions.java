package com.edgeseg.engine;

/**
 * How to open an engine.
 *
 * @param provider name of the {@link EngineProvider} to use ({@code "onnxruntime-cpu"} by default)
 * @param intraOpThreads threads inside one operator; 0 = one per available core
 * @param interOpThreads threads across independent operators; 1 runs the graph sequentially
 * @param cpuMemoryArena keep ONNX Runtime's CPU arena (faster repeated allocation, but it holds on to its
 *     peak: with 128³ windows that is gigabytes); off by default to keep resident memory near the working set
 */
public record EngineOptions(String provider, int intraOpThreads, int interOpThreads, boolean cpuMemoryArena) {
    public static final String DEFAULT_PROVIDER = "onnxruntime-cpu";

    public EngineOptions {
        if (intraOpThreads < 0 || interOpThreads < 1) {
            throw new IllegalArgumentException("threads: intra >= 0, inter >= 1; got " + intraOpThreads + ", " + interOpThreads);
        }
    }

    public static EngineOptions defaults() {
        return new EngineOptions(DEFAULT_PROVIDER, 0, 1, false);
    }

    public EngineOptions withThreads(int intraOp) {
        return new EngineOptions(provider, intraOp, interOpThreads, cpuMemoryArena);
    }

    public EngineOptions withProvider(String name) {
        return new EngineOptions(name, intraOpThreads, interOpThreads, cpuMemoryArena);
    }

    public EngineOptions withCpuMemoryArena(boolean on) {
        return new EngineOptions(provider, intraOpThreads, interOpThreads, on);
    }

    /** The intra-op thread count to use: {@link #intraOpThreads} or, when 0, the available cores. */
    public int effectiveThreads() {
        return intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
    }
}
