package com.edgeseg.volume;

import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;

/**
 * A scalar image (float32 voxels, e.g. CT in HU or a window of scaled intensities) on a grid with a
 * geometry. Voxels are in C order (see {@link Dims}). Immutable once built: the factory takes
 * ownership of the array and no method hands it out for writing.
 */
public final class Volume {
    private final Geometry geometry;
    private final float[] data;

    private Volume(Geometry geometry, float[] data) {
        if (data.length != geometry.dims().voxelCount()) {
            throw new IllegalArgumentException(
                    "data has " + data.length + " voxels, grid " + geometry.dims() + " needs " + geometry.dims().voxelCount());
        }
        this.geometry = geometry;
        this.data = data;
    }

    /** Wraps {@code data} without copying; the caller must not write to it afterwards. */
    public static Volume wrap(Geometry geometry, float[] data) {
        return new Volume(geometry, data);
    }

    public Geometry geometry() {
        return geometry;
    }

    public Dims dims() {
        return geometry.dims();
    }

    public float get(int i, int j, int k) {
        return data[geometry.dims().index(i, j, k)];
    }

    /** Voxel at a C-order flat index. */
    public float getFlat(int index) {
        return data[index];
    }

    /** A fresh copy of the voxels in C order. */
    public float[] toArray() {
        return data.clone();
    }

    /** Copies voxels [from, from + length) in flat C order into {@code dst} at {@code dstPos}. */
    public void copyTo(int from, float[] dst, int dstPos, int length) {
        System.arraycopy(data, from, dst, dstPos, length);
    }
}
