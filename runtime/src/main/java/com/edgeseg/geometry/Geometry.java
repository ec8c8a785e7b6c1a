package com.edgeseg.geometry;

/**
 * Where a voxel grid sits in the patient: its size and the affine that maps a (continuous) voxel index
 * (i, j, k) to a RAS+ world position in millimetres, as NIfTI's sform/qform do. Spacing is the column
 * norm of the 3x3 part; direction is the normalised columns; origin is the world position of voxel
 * (0, 0, 0)'s centre.
 */
public record Geometry(Dims dims, Affine indexToWorld) {

    public static Geometry of(Dims dims, Affine indexToWorld) {
        return new Geometry(dims, indexToWorld);
    }

    public double spacing(int axis) {
        return indexToWorld.columnNorm(axis);
    }

    public double[] spacing() {
        return new double[] {spacing(0), spacing(1), spacing(2)};
    }

    public WorldPoint origin() {
        return new WorldPoint(indexToWorld.get(0, 3), indexToWorld.get(1, 3), indexToWorld.get(2, 3));
    }

    public WorldPoint toWorld(ContinuousIndex p) {
        double[] w = indexToWorld.apply(p.i(), p.j(), p.k());
        return new WorldPoint(w[0], w[1], w[2]);
    }

    public ContinuousIndex toIndex(WorldPoint p) {
        double[] v = indexToWorld.inverse().apply(p.x(), p.y(), p.z());
        return new ContinuousIndex(v[0], v[1], v[2]);
    }

    public Geometry withDims(Dims d) {
        return new Geometry(d, indexToWorld);
    }
}
