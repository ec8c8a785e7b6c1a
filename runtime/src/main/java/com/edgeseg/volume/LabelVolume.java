package com.edgeseg.volume;

import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;

/**
 * A label map: one unsigned 8-bit class id per voxel (0 background, 255 reserved for "not computed"),
 * in C order on a grid with a geometry. Immutable once built, like {@link Volume}.
 */
public final class LabelVolume {
    /** The reserved value for voxels no inference covered (the reference's NaN). */
    public static final int NOT_COMPUTED = 255;

    private final Geometry geometry;
    private final byte[] data;

    private LabelVolume(Geometry geometry, byte[] data) {
        if (data.length != geometry.dims().voxelCount()) {
            throw new IllegalArgumentException(
                    "data has " + data.length + " voxels, grid " + geometry.dims() + " needs " + geometry.dims().voxelCount());
        }
        this.geometry = geometry;
        this.data = data;
    }

    /** Wraps {@code data} (unsigned bytes) without copying; the caller must not write to it afterwards. */
    public static LabelVolume wrap(Geometry geometry, byte[] data) {
        return new LabelVolume(geometry, data);
    }

    public Geometry geometry() {
        return geometry;
    }

    public Dims dims() {
        return geometry.dims();
    }

    /** Label at (i, j, k) as 0..255. */
    public int get(int i, int j, int k) {
        return data[geometry.dims().index(i, j, k)] & 0xFF;
    }

    public int getFlat(int index) {
        return data[index] & 0xFF;
    }

    public byte[] toArray() {
        return data.clone();
    }

    /** Number of voxels carrying {@code label}. */
    public long count(int label) {
        long n = 0;
        byte b = (byte) label;
        for (byte v : data) {
            if (v == b) {
                n++;
            }
        }
        return n;
    }
}
