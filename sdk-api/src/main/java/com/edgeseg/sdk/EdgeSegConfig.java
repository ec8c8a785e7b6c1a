package com.edgeseg.sdk;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to open {@link EdgeSeg}.
 *
 * @param modelPackage      the model package folder (manifest.json + ONNX engines)
 * @param engineThreads     threads inside one engine operator; 0 = one per core
 * @param memoryBudgetBytes bytes one study's slices may take (a slice beyond it is refused with a resource error)
 * @param profile           fidelity profile
 * @param maxPendingSlices  slices a study may hold that are not accepted yet; {@link Study#addSlice} blocks
 *                          the producer beyond it (backpressure)
 * @param maxPendingEdits   clicks, undos and redos that may wait for a study's automatic mask
 * @param requestTimeout    the longest any request waits for its answer (a click queued during acquisition
 *                          waits for the automatic segmentation); also the longest addSlice blocks
 */
public record EdgeSegConfig(Path modelPackage, int engineThreads, long memoryBudgetBytes, Profile profile,
                            int maxPendingSlices, int maxPendingEdits, Duration requestTimeout) {
    public EdgeSegConfig {
        if (modelPackage == null) {
            throw new InvalidRequestException(Reason.INVALID_CONFIG, "config: a model package folder is required");
        }
        if (engineThreads < 0 || memoryBudgetBytes <= 0 || maxPendingSlices < 1 || maxPendingEdits < 1
                || profile == null || requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new InvalidRequestException(Reason.INVALID_CONFIG, "config: threads " + engineThreads + ", budget "
                    + memoryBudgetBytes + ", pending slices " + maxPendingSlices + ", pending edits " + maxPendingEdits
                    + ", profile " + profile + ", timeout " + requestTimeout + "; expected threads >= 0, a positive budget,"
                    + " pending limits >= 1, a profile and a positive timeout");
        }
    }

    /** Defaults: all cores, 2 GiB per study, product profile, 8 pending slices, 16 pending edits, 10 minutes. */
    public static EdgeSegConfig of(Path modelPackage) {
        return new EdgeSegConfig(modelPackage, 0, 2L << 30, Profile.PRODUCT, 8, 16, Duration.ofMinutes(10));
    }

    public EdgeSegConfig withEngineThreads(int threads) {
        return new EdgeSegConfig(modelPackage, threads, memoryBudgetBytes, profile, maxPendingSlices, maxPendingEdits,
                requestTimeout);
    }

    public EdgeSegConfig withMemoryBudget(long bytes) {
        return new EdgeSegConfig(modelPackage, engineThreads, bytes, profile, maxPendingSlices, maxPendingEdits,
                requestTimeout);
    }

    public EdgeSegConfig withProfile(Profile p) {
        return new EdgeSegConfig(modelPackage, engineThreads, memoryBudgetBytes, p, maxPendingSlices, maxPendingEdits,
                requestTimeout);
    }

    public EdgeSegConfig withMaxPendingSlices(int n) {
        return new EdgeSegConfig(modelPackage, engineThreads, memoryBudgetBytes, profile, n, maxPendingEdits,
                requestTimeout);
    }
}
