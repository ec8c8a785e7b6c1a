package com.edgeseg.sdk;

/**
 * One reconstructed slice. Exactly one of {@code int16} (stored values; HU = stored * slope + intercept) and
 * {@code float32} (HU) is set, {@code rows * cols} pixels row by row (DICOM order). The arrays are not copied
 * until the slice is accepted: do not change them before {@link Study#addSlice}'s stage completes.
 *
 * @param instanceNumber     the caller's name for the slice in errors (e.g. DICOM InstanceNumber)
 * @param imagePositionPatient LPS position of the first pixel's centre, mm
 * @param rescaleSlope       this slice's slope, or NaN for the header's
 * @param rescaleIntercept   this slice's intercept, or NaN for the header's
 * @param rowDirection       this slice's ImageOrientationPatient[0..2], or null (checked against the header when given)
 * @param colDirection       this slice's ImageOrientationPatient[3..5], or null
 * @param pixelSpacingMm     this slice's PixelSpacing, or null (checked against the header when given)
 */
public record Slice(int instanceNumber, double[] imagePositionPatient, int rows, int cols, short[] int16,
                   float[] float32, double rescaleSlope, double rescaleIntercept, double[] rowDirection,
                   double[] colDirection, double[] pixelSpacingMm) {

    /** An int16 slice with the header's rescale and geometry. */
    public static Slice int16(int instanceNumber, double[] imagePositionPatient, int rows, int cols, short[] pixels) {
        return new Slice(instanceNumber, imagePositionPatient, rows, cols, pixels, null, Double.NaN, Double.NaN,
                null, null, null);
    }

    /** A float32 slice in HU with the header's geometry. */
    public static Slice float32(int instanceNumber, double[] imagePositionPatient, int rows, int cols, float[] hu) {
        return new Slice(instanceNumber, imagePositionPatient, rows, cols, null, hu, Double.NaN, Double.NaN,
                null, null, null);
    }

    /** This slice with its own rescale. */
    public Slice withRescale(double slope, double intercept) {
        return new Slice(instanceNumber, imagePositionPatient, rows, cols, int16, float32, slope, intercept,
                rowDirection, colDirection, pixelSpacingMm);
    }

    /** This slice with its own orientation and pixel spacing, as DICOM carries them per image. */
    public Slice withGeometry(double[] rowDir, double[] colDir, double[] pixelSpacing) {
        return new Slice(instanceNumber, imagePositionPatient, rows, cols, int16, float32, rescaleSlope,
                rescaleIntercept, rowDir, colDir, pixelSpacing);
    }
}
