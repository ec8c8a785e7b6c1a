package com.edgeseg.segment;

import com.edgeseg.stage.StageTimings;
import com.edgeseg.volume.LabelVolume;
import java.util.Map;

/**
 * A label map on the input grid and how it was made.
 *
 * @param labels  class ids per voxel (0 background); no 255 in product mode
 * @param classes id → name for every id that appears in {@code labels}
 * @param timings wall time per stage
 */
public record SegmentationResult(LabelVolume labels, Map<Integer, String> classes, StageTimings timings) {
    public SegmentationResult {
        classes = Map.copyOf(classes);
    }
}
