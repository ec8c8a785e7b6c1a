package com.edgeseg.sdk;

import java.util.List;
import java.util.OptionalInt;

/**
 * What a series promises about its slices, in DICOM terms (patient coordinates LPS, mm).
 *
 * @param expectedSlices   the number of slices if known (then endOfSeries checks it)
 * @param rows             DICOM Rows
 * @param cols             DICOM Columns
 * @param rowSpacingMm     PixelSpacing[0]: distance between rows
 * @param colSpacingMm     PixelSpacing[1]: distance between columns
 * @param rowDirection     ImageOrientationPatient[0..2]: direction of increasing column index
 * @param colDirection     ImageOrientationPatient[3..5]: direction of increasing row index
 * @param rescaleSlope     HU = stored * slope + intercept for int16 slices (a slice may carry its own)
 * @param rescaleIntercept see {@code rescaleSlope}
 * @param patientPosition  DICOM PatientPosition
 * @param autoClasses      classes to segment automatically, names or ids; empty = all of the package's
 *                         automatic ("everything") set
 * @param slicePlan        where the slices will lie, if the scanner announces it (null if not): with
 *                         {@code expectedSlices} it lets the study segment while slices arrive
 */
public record SeriesHeader(OptionalInt expectedSlices, int rows, int cols, double rowSpacingMm, double colSpacingMm,
                           double[] rowDirection, double[] colDirection, double rescaleSlope, double rescaleIntercept,
                           PatientPosition patientPosition, List<String> autoClasses, SlicePlan slicePlan) {
    public SeriesHeader {
        rowDirection = rowDirection == null ? null : rowDirection.clone();
        colDirection = colDirection == null ? null : colDirection.clone();
        autoClasses = autoClasses == null ? List.of() : List.copyOf(autoClasses);
        patientPosition = patientPosition == null ? PatientPosition.UNKNOWN : patientPosition;
    }

    /** A header without a slice plan (the series grid is known when the series ends). */
    public SeriesHeader(OptionalInt expectedSlices, int rows, int cols, double rowSpacingMm, double colSpacingMm,
                        double[] rowDirection, double[] colDirection, double rescaleSlope, double rescaleIntercept,
                        PatientPosition patientPosition, List<String> autoClasses) {
        this(expectedSlices, rows, cols, rowSpacingMm, colSpacingMm, rowDirection, colDirection, rescaleSlope,
                rescaleIntercept, patientPosition, autoClasses, null);
    }

    /** The same header segmenting {@code classes} automatically. */
    public SeriesHeader withAutoClasses(List<String> classes) {
        return new SeriesHeader(expectedSlices, rows, cols, rowSpacingMm, colSpacingMm, rowDirection, colDirection,
                rescaleSlope, rescaleIntercept, patientPosition, classes, slicePlan);
    }

    /** The same header announcing where the slices will lie (null: not announced). */
    public SeriesHeader withSlicePlan(SlicePlan plan) {
        return new SeriesHeader(expectedSlices, rows, cols, rowSpacingMm, colSpacingMm, rowDirection, colDirection,
                rescaleSlope, rescaleIntercept, patientPosition, autoClasses, plan);
    }

    @Override
    public double[] rowDirection() {
        return rowDirection == null ? null : rowDirection.clone();
    }

    @Override
    public double[] colDirection() {
        return colDirection == null ? null : colDirection.clone();
    }
}
