package com.edgeseg.stage;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wall time per pipeline stage, in the order the stages first ran; repeated stages accumulate. Thread-safe: a
 * streaming study fills slices on its own thread while its windows run on the device thread.
 */
public final class StageTimings {
    private final Map<String, Long> nanos = new LinkedHashMap<>();

    /** Runs {@code work} and adds its duration to {@code stage}. */
    public <T> T time(String stage, java.util.function.Supplier<T> work) {
        long t0 = System.nanoTime();
        try {
            return work.get();
        } finally {
            add(stage, System.nanoTime() - t0);
        }
    }

    public synchronized void add(String stage, long elapsedNanos) {
        nanos.merge(stage, elapsedNanos, Long::sum);
    }

    public synchronized Map<String, Long> nanos() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(nanos));
    }

    /** Lines like {@code "  encoder        12.345 s"} and a total. */
    public synchronized String summary() {
        StringBuilder b = new StringBuilder("stage timings:\n");
        long total = 0;
        for (Map.Entry<String, Long> e : nanos.entrySet()) {
            b.append(String.format("  %-14s %9.3f s%n", e.getKey(), e.getValue() / 1e9));
            total += e.getValue();
        }
        return b.append(String.format("  %-14s %9.3f s", "total", total / 1e9)).toString();
    }
}
