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
 */
public record SeriesHeader(OptionalInt expectedSlices, int rows, int cols, double rowSpacingMm, double colSpacingMm,
                           double[] rowDirection, double[] colDirection, double rescaleSlope, double rescaleIntercept,
                           PatientPosition patientPosition, List<String> autoClasses) {
    public SeriesHeader {
        rowDirection = rowDirection == null ? null : rowDirection.clone();
        colDirection = colDirection == null ? null : colDirection.clone();
        autoClasses = autoClasses == null ? List.of() : List.copyOf(autoClasses);
        patientPosition = patientPosition == null ? PatientPosition.UNKNOWN : patientPosition;
    }

    /** The same header segmenting {@code classes} automatically. */
    public SeriesHeader withAutoClasses(List<String> classes) {
        return new SeriesHeader(expectedSlices, rows, cols, rowSpacingMm, colSpacingMm, rowDirection, colDirection,
                rescaleSlope, rescaleIntercept, patientPosition, classes);
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
