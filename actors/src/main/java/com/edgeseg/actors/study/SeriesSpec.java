package com.edgeseg.actors.study;

import java.util.Arrays;
import java.util.OptionalInt;

/**
 * What a series header promises about every slice, in DICOM terms (patient coordinates LPS, millimetres).
 *
 * @param expectedSlices   the number of slices, if the scanner knows it
 * @param rows             pixels per column (DICOM Rows)
 * @param cols             pixels per row (DICOM Columns)
 * @param rowSpacing       distance between rows in mm (DICOM PixelSpacing[0])
 * @param colSpacing       distance between columns in mm (DICOM PixelSpacing[1])
 * @param rowDirection     direction of increasing column index (ImageOrientationPatient[0..2])
 * @param colDirection     direction of increasing row index (ImageOrientationPatient[3..5])
 * @param rescaleSlope     default HU = stored * slope + intercept for int16 slices
 * @param rescaleIntercept default intercept
 * @param patientPosition  DICOM PatientPosition (HFS, FFS, ...); informational, the geometry comes from the vectors
 * @param firstPosition    ImagePositionPatient of the slice acquired first, if the scanner announces it (null if not)
 * @param sliceStepMm      signed distance along the slice normal from one acquired slice to the next (negative when
 *                         the acquisition runs against the normal, as head-first axial scans from the head do); NaN
 *                         if not announced. With {@code expectedSlices} and {@code firstPosition} it fixes the
 *                         series grid before the first slice, so windows run while slices arrive.
 */
public record SeriesSpec(OptionalInt expectedSlices, int rows, int cols, double rowSpacing, double colSpacing,
                         double[] rowDirection, double[] colDirection, double rescaleSlope, double rescaleIntercept,
                         String patientPosition, double[] firstPosition, double sliceStepMm) {
    /** Largest |cosine| between the row and column directions (the preprocessor's orthogonality limit). */
    static final double MAX_COSINE = 1e-4;

    public SeriesSpec {
        rowDirection = rowDirection == null ? null : rowDirection.clone();
        colDirection = colDirection == null ? null : colDirection.clone();
        firstPosition = firstPosition == null ? null : firstPosition.clone();
        if (rows < 1 || cols < 1) {
            throw Fault.fail(Fault.Kind.INVALID_HEADER, "series header: in-plane size " + rows + "x" + cols
                    + "; expected at least 1 row and 1 column");
        }
        if (!(rowSpacing > 0) || !(colSpacing > 0) || !Double.isFinite(rowSpacing) || !Double.isFinite(colSpacing)) {
            throw Fault.fail(Fault.Kind.INVALID_HEADER, "series header: pixel spacing " + rowSpacing + ", " + colSpacing
                    + "; expected two positive finite distances in mm");
        }
        checkUnit("row direction", rowDirection);
        checkUnit("column direction", colDirection);
        double cos = dot(rowDirection, colDirection);
        if (Math.abs(cos) > MAX_COSINE) {
            throw Fault.fail(Fault.Kind.INVALID_HEADER, "series header: row and column directions have cosine " + cos
                    + "; expected orthogonal directions (|cos| <= " + MAX_COSINE + ")");
        }
        if (!Double.isFinite(rescaleSlope) || rescaleSlope == 0 || !Double.isFinite(rescaleIntercept)) {
            throw Fault.fail(Fault.Kind.INVALID_HEADER, "series header: rescale slope " + rescaleSlope + ", intercept "
                    + rescaleIntercept + "; expected a finite non-zero slope and a finite intercept");
        }
        if (expectedSlices.isPresent() && expectedSlices.getAsInt() < 2) {
            throw Fault.fail(Fault.Kind.INVALID_HEADER, "series header: " + expectedSlices.getAsInt()
                    + " expected slices; expected at least 2 (or unknown)");
        }
        if (firstPosition != null && (firstPosition.length != 3
                || !Double.isFinite(firstPosition[0] + firstPosition[1] + firstPosition[2]))) {
            throw Fault.fail(Fault.Kind.INVALID_HEADER, "series header: first slice position "
                    + Arrays.toString(firstPosition) + "; expected ImagePositionPatient as 3 finite coordinates in mm");
        }
        if (!Double.isNaN(sliceStepMm) && (!Double.isFinite(sliceStepMm) || Math.abs(sliceStepMm) < 1e-3)) {
            throw Fault.fail(Fault.Kind.INVALID_HEADER, "series header: slice step " + sliceStepMm + " mm; expected a "
                    + "finite non-zero distance along the slice normal (or NaN when unknown)");
        }
        if ((firstPosition == null) != Double.isNaN(sliceStepMm)) {
            throw Fault.fail(Fault.Kind.INVALID_HEADER, "series header: a slice plan needs both the first slice's "
                    + "position and the slice step; expected both or neither");
        }
    }

    /** A header without a slice plan (the grid is known at the end of the series). */
    public SeriesSpec(OptionalInt expectedSlices, int rows, int cols, double rowSpacing, double colSpacing,
                      double[] rowDirection, double[] colDirection, double rescaleSlope, double rescaleIntercept,
                      String patientPosition) {
        this(expectedSlices, rows, cols, rowSpacing, colSpacing, rowDirection, colDirection, rescaleSlope,
                rescaleIntercept, patientPosition, null, Double.NaN);
    }

    /** Whether the series grid is known before the first slice: slice count, first position and step announced. */
    public boolean planned() {
        return expectedSlices.isPresent() && firstPosition != null;
    }

    /** Whether the acquisition runs against the slice normal (planned series only). */
    public boolean descending() {
        return planned() && sliceStepMm < 0;
    }

    @Override
    public double[] firstPosition() {
        return firstPosition == null ? null : firstPosition.clone();
    }

    private static void checkUnit(String what, double[] v) {
        if (v == null || v.length != 3 || !Double.isFinite(v[0] + v[1] + v[2])
                || Math.abs(Math.sqrt(dot(v, v)) - 1) > 1e-3) {
            throw Fault.fail(Fault.Kind.INVALID_HEADER, "series header: " + what + " " + Arrays.toString(v)
                    + "; expected a unit vector of 3 finite direction cosines");
        }
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    /** The slice normal, row direction x column direction: slices are ordered along it. */
    public double[] normal() {
        double[] r = rowDirection;
        double[] c = colDirection;
        return new double[] {r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]};
    }

    @Override
    public double[] rowDirection() {
        return rowDirection.clone();
    }

    @Override
    public double[] colDirection() {
        return colDirection.clone();
    }
}
