package com.edgeseg.actors.study;

import com.edgeseg.actors.study.Fault.Kind;
import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.volume.Volume;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Validates slices against their series header and keeps them, in whatever order they come (head-first,
 * feet-first, shuffled), keyed by their distance along the slice normal; at the end of the series builds the
 * scanner-grid volume. A bad slice is refused with a typed fault for that slice only; the series goes on.
 *
 * <p>The scanner grid: axis 0 = column index (along the row direction), axis 1 = row index, axis 2 = slices sorted
 * by increasing position along the normal (row x column direction). Geometry is stored RAS+ like NIfTI volumes
 * (DICOM's LPS x and y negated). Not thread-safe: one study actor owns it.
 */
public final class Loader {
    /** Two slices closer than this along the normal are the same position (mm). */
    static final double DUPLICATE_MM = 1e-3;
    /** Relative difference allowed between a slice's pixel spacing or direction and the header's. */
    static final double HEADER_TOLERANCE = 1e-4;
    /** Relative difference allowed between slice gaps (a missing slice doubles one). */
    static final double GAP_TOLERANCE = 0.01;
    /** How far (in slice steps) a slice of a planned series may lie from its announced position. */
    static final double PLAN_TOLERANCE = 0.05;

    private final SeriesSpec spec;
    private final long budgetBytes;
    private final double[] normal;
    private final TreeMap<Double, Plane> planes = new TreeMap<>();
    private double[] firstPosition;
    private boolean ended;
    private long bytes;

    /** A kept slice: its ImagePositionPatient and its pixels in HU, row-major. */
    private record Plane(double[] position, float[] hu) {}

    /**
     * What accepting a slice did.
     *
     * @param acquisitionSlice the slice's index on the acquisition grid of a planned series (-1 without a plan)
     */
    public record Placed(int number, double along, int received, OptionalInt expected, int acquisitionSlice) {}

    public Loader(SeriesSpec spec, long budgetBytes) {
        this.spec = spec;
        this.budgetBytes = budgetBytes;
        this.normal = spec.normal();
        if (spec.planned()) {
            // every slice is checked against the announced line, not against whichever slice came first
            this.firstPosition = spec.firstPosition();
        }
    }

    public int received() {
        return planes.size();
    }

    public boolean ended() {
        return ended;
    }

    public long bytes() {
        return bytes;
    }

    /**
     * Checks {@code s} against the header and the slices so far and keeps it.
     *
     * @throws Fault.StudyFaultException for a slice after the end of the series, a wrong size, orientation,
     *         spacing or rescale, NaN or infinite pixels, a position off the series' line or a duplicate position,
     *         more slices than the header announced, or a slice that would exceed the memory budget
     */
    public Placed accept(SliceInput s) {
        String name = "slice " + s.number();
        if (ended) {
            throw Fault.fail(Kind.SLICE_AFTER_END, name + " arrived after the end of the series ("
                    + planes.size() + " slices); expected no slice after endOfSeries");
        }
        if (s.rows() != spec.rows() || s.cols() != spec.cols()) {
            throw Fault.fail(Kind.BAD_SLICE, name + " is " + s.rows() + "x" + s.cols() + " (rows x columns); expected "
                    + spec.rows() + "x" + spec.cols() + " as the series header says");
        }
        int n = spec.rows() * spec.cols();
        if ((s.stored() == null) == (s.hu() == null)) {
            throw Fault.fail(Kind.BAD_SLICE, name + ": expected exactly one of int16 or float32 pixels");
        }
        int have = s.stored() != null ? s.stored().length : s.hu().length;
        if (have != n) {
            throw Fault.fail(Kind.BAD_SLICE, name + " has " + have + " pixels; expected rows x columns = " + n);
        }
        checkSame(name, "row direction", s.rowDirection(), spec.rowDirection(), 3);
        checkSame(name, "column direction", s.colDirection(), spec.colDirection(), 3);
        checkSame(name, "pixel spacing", s.pixelSpacing(), new double[] {spec.rowSpacing(), spec.colSpacing()}, 2);
        double slope = Double.isNaN(s.rescaleSlope()) ? spec.rescaleSlope() : s.rescaleSlope();
        double intercept = Double.isNaN(s.rescaleIntercept()) ? spec.rescaleIntercept() : s.rescaleIntercept();
        if (s.stored() != null && (!Double.isFinite(slope) || slope == 0 || !Double.isFinite(intercept))) {
            throw Fault.fail(Kind.BAD_SLICE, name + ": rescale slope " + slope + ", intercept " + intercept
                    + "; expected a finite non-zero slope and a finite intercept");
        }
        double[] p = s.position();
        if (p == null || p.length != 3 || !Double.isFinite(p[0] + p[1] + p[2])) {
            throw Fault.fail(Kind.BAD_SLICE, name + ": position " + Arrays.toString(p)
                    + "; expected ImagePositionPatient as 3 finite coordinates in mm");
        }
        OptionalInt expected = spec.expectedSlices();
        if (expected.isPresent() && planes.size() >= expected.getAsInt()) {
            throw Fault.fail(Kind.BAD_SLICE, name + " would be slice " + (planes.size() + 1) + " of a series the header says has "
                    + expected.getAsInt() + "; expected no more slices");
        }
        if (firstPosition != null) {
            double[] off = {p[0] - firstPosition[0], p[1] - firstPosition[1], p[2] - firstPosition[2]};
            double inRow = SeriesSpec.dot(off, spec.rowDirection());
            double inCol = SeriesSpec.dot(off, spec.colDirection());
            double tol = 0.1 * Math.min(spec.rowSpacing(), spec.colSpacing());
            if (Math.abs(inRow) > tol || Math.abs(inCol) > tol) {
                throw Fault.fail(Kind.OFF_LINE_SLICE, String.format("%s at %s is %.3f mm along the rows and %.3f mm along the "
                        + "columns off the series' line; expected positions on the line through %s along the slice normal "
                        + "(within %.3f mm)", name, Arrays.toString(p), inRow, inCol, Arrays.toString(firstPosition), tol));
            }
        }
        double along = SeriesSpec.dot(p, normal);
        int acquisitionSlice = -1;
        if (spec.planned()) {
            double at = (along - SeriesSpec.dot(firstPosition, normal)) / spec.sliceStepMm();
            long k = Math.round(at);
            int count = expected.getAsInt();
            if (Math.abs(at - k) > PLAN_TOLERANCE || k < 0 || k >= count) {
                throw Fault.fail(Kind.OFF_LINE_SLICE, String.format("%s at %.3f mm along the normal is %.3f slice steps "
                        + "from the announced first slice; expected a whole number of steps of %.3f mm in 0..%d",
                        name, along, at, spec.sliceStepMm(), count - 1));
            }
            acquisitionSlice = (int) k;
        }
        Map.Entry<Double, Plane> below = planes.floorEntry(along + DUPLICATE_MM);
        if (below != null && Math.abs(below.getKey() - along) <= DUPLICATE_MM) {
            throw Fault.fail(Kind.DUPLICATE_SLICE, String.format("%s at %.3f mm along the normal duplicates a slice already "
                    + "received at that position; expected each position once", name, along));
        }
        long need = 4L * n;
        if (bytes + need > budgetBytes) {
            throw Fault.fail(Kind.MEMORY_BUDGET, name + " would bring the series to " + (bytes + need) + " bytes; the memory "
                    + "budget is " + budgetBytes + " bytes; expected a larger budget or a smaller series");
        }
        float[] hu = new float[n];
        if (s.stored() != null) {
            short[] v = s.stored();
            for (int i = 0; i < n; i++) {
                hu[i] = (float) (v[i] * slope + intercept);
            }
        } else {
            float[] v = s.hu();
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(v[i])) {
                    throw Fault.fail(Kind.BAD_SLICE, name + " has a " + v[i] + " pixel at row " + i / spec.cols()
                            + ", column " + i % spec.cols() + "; expected finite intensities in HU");
                }
            }
            System.arraycopy(v, 0, hu, 0, n);
        }
        if (firstPosition == null) {
            firstPosition = p.clone();
        }
        planes.put(along, new Plane(p.clone(), hu));
        bytes += need;
        return new Placed(s.number(), along, planes.size(), expected, acquisitionSlice);
    }

    /**
     * The pixels of a placed slice as a plane of the series grid (C order over column, row), for the stages that
     * resample it; null once the series has ended.
     */
    public float[] seriesPlane(Placed placed) {
        Plane slice = planes.get(placed.along());
        if (slice == null) {
            return null;
        }
        int rows = spec.rows();
        int cols = spec.cols();
        float[] out = new float[rows * cols];
        float[] hu = slice.hu();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = hu[r * cols + c];
            }
        }
        return out;
    }

    private static void checkSame(String name, String what, double[] given, double[] header, int len) {
        if (given == null) {
            return;
        }
        boolean ok = given.length == len;
        for (int i = 0; ok && i < len; i++) {
            ok = Math.abs(given[i] - header[i]) <= HEADER_TOLERANCE * Math.max(1, Math.abs(header[i]));
        }
        if (!ok) {
            throw Fault.fail(Kind.BAD_SLICE, name + ": " + what + " " + Arrays.toString(given) + "; expected the series'"
                    + " " + Arrays.toString(header));
        }
    }

    /**
     * Ends the series and builds the scanner-grid volume (HU), freeing the per-slice buffers. If the series is
     * incomplete (fewer slices than announced, fewer than 2, or a gap that is not the common slice step) it
     * stays open, so the missing slices can still come.
     */
    public Volume endOfSeries() {
        if (ended) {
            throw Fault.fail(Kind.SLICE_AFTER_END, "the series has already ended; expected endOfSeries once");
        }
        int n = planes.size();
        if (spec.expectedSlices().isPresent() && n != spec.expectedSlices().getAsInt()) {
            throw Fault.fail(Kind.INCOMPLETE_SERIES, "end of series after " + n + " slices; the header announced "
                    + spec.expectedSlices().getAsInt() + "; expected the missing slices first");
        }
        if (n < 2) {
            throw Fault.fail(Kind.INCOMPLETE_SERIES, "end of series after " + n + " slice(s); expected at least 2");
        }
        Double[] at = planes.keySet().toArray(new Double[0]);
        // the smallest gap is the series' step: a missing slice shows as a gap about twice as large
        double minGap = Double.MAX_VALUE;
        for (int k = 1; k < n; k++) {
            minGap = Math.min(minGap, at[k] - at[k - 1]);
        }
        for (int k = 1; k < n; k++) {
            double gap = at[k] - at[k - 1];
            if (gap - minGap > GAP_TOLERANCE * minGap) {
                throw Fault.fail(Kind.INCOMPLETE_SERIES, String.format("the gap between the slices at %.3f and %.3f mm along "
                        + "the normal is %.3f mm; expected the series' common step %.3f mm (a slice missing?)",
                        at[k - 1], at[k], gap, minGap));
            }
        }
        double step = (at[n - 1] - at[0]) / (n - 1);
        int rows = spec.rows();
        int cols = spec.cols();
        float[] data = new float[Math.multiplyExact(Math.multiplyExact(rows, cols), n)];
        int k = 0;
        for (Plane slice : planes.values()) {
            float[] plane = slice.hu();
            // pixel (r, c) of the k-th slice is voxel (c, r, k) of the C-order volume
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    data[(c * rows + r) * n + k] = plane[r * cols + c];
                }
            }
            k++;
        }
        double[] first = planes.firstEntry().getValue().position();
        double[] rd = spec.rowDirection();
        double[] cd = spec.colDirection();
        double[] linear = new double[9];
        double[] origin = new double[3];
        for (int a = 0; a < 3; a++) {
            // LPS -> RAS: x and y change sign; "+ 0.0" keeps -0.0 out of the affine
            double flip = a < 2 ? -1 : 1;
            linear[a * 3] = flip * rd[a] * spec.colSpacing() + 0.0;
            linear[a * 3 + 1] = flip * cd[a] * spec.rowSpacing() + 0.0;
            linear[a * 3 + 2] = flip * normal[a] * step + 0.0;
            origin[a] = flip * first[a] + 0.0;
        }
        planes.clear();
        ended = true;
        bytes = 0;
        return Volume.wrap(Geometry.of(new Dims(cols, rows, n), Affine.of(linear, origin)), data);
    }
}
