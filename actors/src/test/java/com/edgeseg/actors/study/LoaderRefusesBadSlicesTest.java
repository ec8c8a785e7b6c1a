package com.edgeseg.actors.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.actors.study.Fault.Kind;
import com.edgeseg.volume.Volume;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad slice is refused with a typed fault that names the slice and what was expected, and the
 * series goes on: the good slices around it still build the right volume.
 */
class LoaderRefusesBadSlicesTest {
    static final Volume CT = RealSeries.block();

    private static SliceInput with(SliceInput s, double[] position, short[] stored, float[] hu, int rows, int cols,
                                   double slope, double[] rowDir, double[] spacing) {
        return new SliceInput(s.number(), position, rows, cols, stored, hu, slope, s.rescaleIntercept(), rowDir,
                s.colDirection(), spacing);
    }

    private static void refused(Loader loader, Kind kind, String fragment, Supplier<SliceInput> bad) {
        Fault.StudyFaultException e = assertThrows(Fault.StudyFaultException.class, () -> loader.accept(bad.get()));
        assertEquals(kind, e.fault().kind(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertTrue(e.getMessage().contains("expected"), "says what was expected: " + e.getMessage());
    }

    @Test
    void badSlicesAreRefusedOneByOneAndTheSeriesGoesOn() {
        int n = CT.dims().n2();
        Loader loader = new Loader(RealSeries.spec(CT, true), Long.MAX_VALUE);
        SliceInput s0 = RealSeries.slice(CT, 0, false);
        SliceInput s1 = RealSeries.slice(CT, 1, true);
        loader.accept(s0);
        int rows = s1.rows();
        int cols = s1.cols();

        refused(loader, Kind.BAD_SLICE, "is 27x28", () -> with(s1, s1.position(), new short[27 * cols], null, 27, cols,
                Double.NaN, null, null));
        refused(loader, Kind.BAD_SLICE, "pixels", () -> with(s1, s1.position(), new short[10], null, rows, cols,
                Double.NaN, null, null));
        float[] nan = RealSeries.slice(CT, 1, false).hu().clone();
        nan[cols + 3] = Float.NaN;
        refused(loader, Kind.BAD_SLICE, "NaN pixel at row 1, column 3", () -> with(s1, s1.position(), null, nan, rows, cols,
                Double.NaN, null, null));
        refused(loader, Kind.BAD_SLICE, "rescale slope 0", () -> with(s1, s1.position(), s1.stored(), null, rows, cols,
                0, null, null));
        refused(loader, Kind.BAD_SLICE, "row direction", () -> with(s1, s1.position(), s1.stored(), null, rows, cols,
                Double.NaN, new double[] {0, 1, 0}, null));
        refused(loader, Kind.BAD_SLICE, "pixel spacing", () -> with(s1, s1.position(), s1.stored(), null, rows, cols,
                Double.NaN, null, new double[] {1.0, 1.0}));
        double[] off = s1.position().clone();
        off[0] += 3.0; // 3 mm sideways: not on the line through the first slice along the normal
        refused(loader, Kind.OFF_LINE_SLICE, "off the series' line", () -> with(s1, off, s1.stored(), null, rows, cols,
                Double.NaN, null, null));
        refused(loader, Kind.DUPLICATE_SLICE, "duplicates", () -> RealSeries.slice(CT, 0, true));

        for (int k = 1; k < n; k++) {
            loader.accept(RealSeries.slice(CT, k, k % 2 == 0));
        }
        refused(loader, Kind.BAD_SLICE, "says has " + n, () -> {
            double[] beyond = RealSeries.slice(CT, n - 1, true).position().clone();
            beyond[2] += 3.0;
            return with(s1, beyond, s1.stored(), null, rows, cols, Double.NaN, null, null);
        });
        Volume v = loader.endOfSeries();
        assertArrayEquals(CT.toArray(), v.toArray(), 0f, "the refused slices left no trace");
        refused(loader, Kind.SLICE_AFTER_END, "after the end of the series", () -> RealSeries.slice(CT, 2, true));
    }

    @Test
    void anIncompleteSeriesStaysOpenForItsMissingSlice() {
        Loader loader = new Loader(RealSeries.spec(CT, false), Long.MAX_VALUE);
        for (int k = 0; k < CT.dims().n2(); k++) {
            if (k != 5) {
                loader.accept(RealSeries.slice(CT, k, true));
            }
        }
        Fault.StudyFaultException gap = assertThrows(Fault.StudyFaultException.class, loader::endOfSeries);
        assertEquals(Kind.INCOMPLETE_SERIES, gap.fault().kind());
        assertTrue(gap.getMessage().contains("is 6.000 mm; expected the series' common step"), gap.getMessage());
        loader.accept(RealSeries.slice(CT, 5, true));
        assertArrayEquals(CT.toArray(), loader.endOfSeries().toArray(), 0f);
    }

    @Test
    void theMemoryBudgetRefusesTheSliceThatWouldExceedIt() {
        int perSlice = 4 * CT.dims().n0() * CT.dims().n1();
        Loader loader = new Loader(RealSeries.spec(CT, false), 3L * perSlice);
        for (int k = 0; k < 3; k++) {
            loader.accept(RealSeries.slice(CT, k, true));
        }
        Fault.StudyFaultException e = assertThrows(Fault.StudyFaultException.class,
                () -> loader.accept(RealSeries.slice(CT, 3, true)));
        assertEquals(Kind.MEMORY_BUDGET, e.fault().kind());
        assertEquals(Fault.Category.RESOURCE, e.fault().category());
        assertEquals(3, loader.received());
    }
}
