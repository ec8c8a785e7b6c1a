package com.edgeseg.window;

import com.edgeseg.geometry.Dims;

/**
 * A finished range of planes of a stitched result along the stream {@code axis}: planes {@code firstPlane ..
 * firstPlane + dims.get(axis)} of the image, all channels, each channel a C-order array over {@code dims} (the
 * image's size on the other two axes).
 */
public record Slab(int axis, int firstPlane, Dims dims, float[][] channels) {
    public int channelCount() {
        return channels.length;
    }

    /** Number of planes along the stream axis. */
    public int planes() {
        return dims.get(axis);
    }

    /** Flat index in {@code image} of the slab's voxel {@code v} (C order over {@link #dims()}). */
    public int imageIndex(int v, Dims image) {
        int k = v % dims.n2();
        int j = (v / dims.n2()) % dims.n1();
        int i = v / (dims.n1() * dims.n2());
        switch (axis) {
            case 0 -> i += firstPlane;
            case 1 -> j += firstPlane;
            default -> k += firstPlane;
        }
        return image.index(i, j, k);
    }

    /** Copies channel {@code c} into its place in a whole-image array. */
    public void copyInto(int c, float[] volume, Dims image) {
        float[] ch = channels[c];
        int rows = dims.n0() * dims.n1();
        int len = dims.n2();
        for (int r = 0; r < rows; r++) {
            System.arraycopy(ch, r * len, volume, imageIndex(r * len, image), len);
        }
    }
}
