package com.edgeseg.window;

import com.edgeseg.geometry.Dims;

/**
 * A finished range of axis-0 planes of a stitched result: planes {@code firstPlane .. firstPlane + dims.n0()} of the
 * image, all channels, each channel a C-order array over {@code dims}.
 */
public record Slab(int firstPlane, Dims dims, float[][] channels) {
    public int channelCount() {
        return channels.length;
    }
}
