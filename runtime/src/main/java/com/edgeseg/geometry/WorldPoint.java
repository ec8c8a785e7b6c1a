package com.edgeseg.geometry;

/**
 * A physical position in millimetres in NIfTI's RAS+ world frame: +x toward the patient's Right,
 * +y toward Anterior, +z toward Superior (DICOM's LPS+ differs by the sign of x and y).
 */
public record WorldPoint(double x, double y, double z) {
    public double[] toArray() {
        return new double[] {x, y, z};
    }
}
