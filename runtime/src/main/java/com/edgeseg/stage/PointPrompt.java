package com.edgeseg.stage;

import com.edgeseg.window.Click;
import java.util.List;
import java.util.OptionalInt;

/**
 * One object's clicks in network space, as the point-window call receives them.
 *
 * @param clicks     all clicks of the object so far, in network-space voxel coordinates, labels after the
 *                   special-class conversion (0/1, or 2/3 for special classes; -1 ignore)
 * @param pointStart clicks before this index are already merged into the previous mask: they open no window but
 *                   the network still sees them inside the new windows (§3.4 successive clicks)
 * @param classId    the supported class whose auto head is merged with the clicks in each window (auto + point);
 *                   empty for point-only, zero-shot and previous-mask editing
 * @param zeroShot   the object is an unseen structure: the point head uses its zero-shot class token
 */
public record PointPrompt(List<Click> clicks, int pointStart, OptionalInt classId, boolean zeroShot) {
    public PointPrompt {
        clicks = List.copyOf(clicks);
        if (pointStart < 0 || pointStart > clicks.size()) {
            throw new IllegalArgumentException("pointStart " + pointStart + " outside 0.." + clicks.size());
        }
    }
}
