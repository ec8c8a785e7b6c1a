package com.edgeseg.preprocess;

import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.VoxelIndex;

/**
 * The foreground crop on the resampled grid (before orientation): voxels {@code start} (inclusive) up to
 * {@code start + size} (exclusive) per axis.
 */
public record CropBox(VoxelIndex start, Dims size) {
    public int end(int axis) {
        return start.get(axis) + size.get(axis);
    }

    public boolean contains(int i, int j, int k) {
        return i >= start.i() && j >= start.j() && k >= start.k() && i < end(0) && j < end(1) && k < end(2);
    }
}
