package com.edgeseg.actors.study;

/**
 * One slice as the scanner sends it. Exactly one of {@code stored} (int16, HU = stored * slope + intercept) and
 * {@code hu} (float32 HU) is set, {@code rows * cols} pixels in row-major order (DICOM's). Overrides of the
 * header's values ({@code rowDirection}, {@code colDirection}, {@code pixelSpacing}, rescale) may be null / NaN
 * and are checked against the header when given.
 *
 * @param number   the caller's name for the slice in messages (e.g. DICOM InstanceNumber)
 * @param position ImagePositionPatient: LPS position of the first pixel's centre, mm
 */
public record SliceInput(int number, double[] position, int rows, int cols, short[] stored, float[] hu,
                         double rescaleSlope, double rescaleIntercept, double[] rowDirection, double[] colDirection,
                         double[] pixelSpacing) {}
