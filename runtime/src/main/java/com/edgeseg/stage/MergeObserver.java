package com.edgeseg.stage;

import com.edgeseg.merge.ComponentMerge;
import com.edgeseg.window.Click;
import com.edgeseg.window.Window;
import java.util.List;

/**
 * Sees every click merge (§3.4) a {@link PointPass} performs, with its inputs and result. The production path runs
 * with {@link #NONE}; a conformance check plugs in an observer that finds the voxels whose merge hinged on a
 * near-tied logit, so that no test bookkeeping lives in the pass itself.
 */
@FunctionalInterface
public interface MergeObserver {
    /** Observes nothing. */
    MergeObserver NONE = (window, base, point, clicks, merge, merged) -> { };

    /**
     * @param window the point window (image coordinates)
     * @param base   the window's base logits the merge used (not to be modified)
     * @param point  the point head's logits (not to be modified)
     * @param clicks the window-local clicks the merge used
     * @param merge  the merge, for re-running it on variants of the inputs
     * @param merged the merge's result (not to be modified)
     */
    void merged(Window window, float[] base, float[] point, List<Click> clicks, ComponentMerge merge, float[] merged);
}
