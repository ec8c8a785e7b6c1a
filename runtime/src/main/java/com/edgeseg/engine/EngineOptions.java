package com.edgeseg.engine;

/**
 * How to open an engine.
 *
 * @param provider name of the {@link EngineProvider} to use ({@code "onnxruntime-cpu"} by default)
 * @param intraOpThreads threads inside one operator; 0 = one per available core
 * @param interOpThreads threads across independent operators; 1 runs the graph sequentially
 * @param cpuMemoryArena reuse freed blocks in ONNX Runtime's CPU arena. On by default: without it every
 *     large activation is a fresh mmap that the kernel zero-fills, which measured 3-5x slower per window
 *     at about the same peak RSS (docs/benchmarks.md)
 * @param memoryPattern ONNX Runtime's per-shape memory planning: slightly faster, but it pre-reserves one
 *     block for the whole run (+~50% peak RSS at 128³), so off by default
 */
public record EngineOptions(String provider, int intraOpThreads, int interOpThreads, boolean cpuMemoryArena,
                            boolean memoryPattern) {
    public static final String DEFAULT_PROVIDER = "onnxruntime-cpu";

    public EngineOptions {
        if (intraOpThreads < 0 || interOpThreads < 1) {
            throw new IllegalArgumentException("threads: intra >= 0, inter >= 1; got " + intraOpThreads + ", " + interOpThreads);
        }
    }

    public static EngineOptions defaults() {
        return new EngineOptions(DEFAULT_PROVIDER, 0, 1, true, false);
    }

    public EngineOptions withThreads(int intraOp) {
        return new EngineOptions(provider, intraOp, interOpThreads, cpuMemoryArena, memoryPattern);
    }

    public EngineOptions withProvider(String name) {
        return new EngineOptions(name, intraOpThreads, interOpThreads, cpuMemoryArena, memoryPattern);
    }

    public EngineOptions withCpuMemoryArena(boolean on) {
        return new EngineOptions(provider, intraOpThreads, interOpThreads, on, memoryPattern);
    }

    public EngineOptions withMemoryPattern(boolean on) {
        return new EngineOptions(provider, intraOpThreads, interOpThreads, cpuMemoryArena, on);
    }

    /** The intra-op thread count to use: {@link #intraOpThreads} or, when 0, the available cores. */
    public int effectiveThreads() {
        return intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
    }
}
