package com.edgeseg.window;

import java.util.ArrayList;
import java.util.List;

/**
 * A click-centred window (§4.2) and every click of the call seen from it.
 *
 * @param window      the window (image coordinates, may reach into padding)
 * @param clickIndex  the click that opened it (index into the call's click list)
 * @param localClicks all clicks of the call in window-local coordinates, in call order
 * @param inside      per click: does the window use it (profile's inside test; Q4)
 */
public record PointWindow(Window window, int clickIndex, List<Click> localClicks, List<Boolean> inside) {
    public PointWindow {
        localClicks = List.copyOf(localClicks);
        inside = List.copyOf(inside);
        if (localClicks.size() != inside.size()) {
            throw new IllegalArgumentException("one inside flag per click expected");
        }
    }

    /**
     * The clicks the network and the merge see in this window: inside and not ignored, in call order, window-local
     * (MONAI {@code update_point_to_patch} followed by the removal of all-ignore click columns).
     */
    public List<Click> usedClicks() {
        List<Click> out = new ArrayList<>();
        for (int i = 0; i < localClicks.size(); i++) {
            if (inside.get(i) && !localClicks.get(i).ignored()) {
                out.add(localClicks.get(i));
            }
        }
        return out;
    }

    /** False when no usable click lies inside: the reference then returns -9999 (point-only) or the auto logits only. */
    public boolean hasClicks() {
        return !usedClicks().isEmpty();
    }
}
