package com.edgeseg.window;

import com.edgeseg.geometry.Dims;

/**
 * Where a window lies on its image grid, independent of the plan that listed it: the key under which a window's
 * encoder output can be cached and found again by a later pass (a click in an already encoded window).
 */
public record WindowKey(int o0, int o1, int o2, Dims size) {
    @Override
    public String toString() {
        return "[" + o0 + ", " + o1 + ", " + o2 + "]+" + size;
    }
}
