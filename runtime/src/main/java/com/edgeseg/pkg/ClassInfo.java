package com.edgeseg.pkg;

import java.util.List;

/**
 * One row of a package's class table.
 *
 * @param everything part of the "segment everything" set
 * @param special tumour/vessel-type class whose clicks use the special labels 2/3
 * @param legacy an id kept for compatibility that the model does not segment on its own
 * @param group the sub-class ids a group id (e.g. 2, 20, 21) stands for; empty otherwise
 * @param color display colour as [r, g, b], 0..255
 */
public record ClassInfo(int id, String name, boolean everything, boolean special, boolean legacy,
                        List<Integer> group, List<Integer> color) {
    public ClassInfo {
        group = List.copyOf(group);
        color = List.copyOf(color);
    }
}
