package com.edgeseg.segment;

import com.edgeseg.volume.LabelVolume;
import java.util.List;
import java.util.Optional;

/**
 * What to segment in one call.
 *
 * @param classes  class names or ids; empty = the model's everything set (or, with clicks, an unnamed object)
 * @param clicks   clicks in voxel indices of the input volume
 * @param previous a previous label map on the input grid that the clicks edit (the edited class is the one
 *                 prompt); voxels the clicks do not change keep their previous label exactly
 */
public record SegmentationRequest(List<String> classes, List<UserClick> clicks, Optional<LabelVolume> previous) {
    public SegmentationRequest {
        classes = List.copyOf(classes);
        clicks = List.copyOf(clicks);
    }

    public static SegmentationRequest auto(List<String> classes) {
        return new SegmentationRequest(classes, List.of(), Optional.empty());
    }
}
