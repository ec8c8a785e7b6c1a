package com.edgeseg.actors.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.geometry.ContinuousIndex;
import com.edgeseg.geometry.WorldPoint;
import com.edgeseg.volume.Volume;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With a slice plan in the header, every slice gets its acquisition index from its position alone (any arrival
 * order), a slice between planned positions or beyond the plan is refused, and the acquisition grid puts every
 * slice at the world position it was sent with.
 */
class LoaderPlacesPlannedSlicesTest {
    static final Volume CT = RealSeries.block();

    static SeriesSpec planned(boolean descending) {
        SeriesSpec s = RealSeries.spec(CT, true);
        int first = descending ? CT.dims().n2() - 1 : 0;
        double step = CT.geometry().indexToWorld().columnNorm(2);
        return new SeriesSpec(s.expectedSlices(), s.rows(), s.cols(), s.rowSpacing(), s.colSpacing(), s.rowDirection(),
                s.colDirection(), s.rescaleSlope(), s.rescaleIntercept(), "HFS",
                RealSeries.slice(CT, first, true).position(), descending ? -step : step);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void acquisitionIndexFollowsThePlan(boolean descending) {
        SeriesSpec spec = planned(descending);
        Loader loader = new Loader(spec, Long.MAX_VALUE);
        SeriesGrid grid = new SeriesGrid(spec);
        int n = CT.dims().n2();
        for (int k = n - 1; k >= 0; k -= 2) { // odd arrival order: every other slice from the top, then the rest
            assertEquals(descending ? n - 1 - k : k, loader.accept(RealSeries.slice(CT, k, true)).acquisitionSlice());
        }
        for (int k = n - 2; k >= 0; k -= 2) {
            Loader.Placed p = loader.accept(RealSeries.slice(CT, k, false));
            assertEquals(k, grid.scannerSlice(p.acquisitionSlice(), n));
        }
        for (int a = 0; a < n; a++) {
            WorldPoint planned = grid.acquisitionGeometry().toWorld(new ContinuousIndex(3, 4, a));
            WorldPoint sent = CT.geometry().toWorld(new ContinuousIndex(3, 4, grid.scannerSlice(a, n)));
            assertEquals(sent.x(), planned.x(), 1e-6);
            assertEquals(sent.y(), planned.y(), 1e-6);
            assertEquals(sent.z(), planned.z(), 1e-6);
        }
        Volume v = loader.endOfSeries();
        assertArrayEquals(CT.toArray(), v.toArray(), 0f, "the scanner grid is sorted along the normal as always");
        float[] acquired = grid.toAcquisition(v).toArray();
        assertArrayEquals(CT.toArray(), descending ? SeriesGrid.flipSlices(acquired, CT.dims()) : acquired, 0f,
                "the acquisition grid holds the same slices, in acquisition order");
    }

    @Test
    void slicesOffThePlanAreRefused() {
        Loader loader = new Loader(planned(false), Long.MAX_VALUE);
        SliceInput s3 = RealSeries.slice(CT, 3, true);
        double step = CT.geometry().indexToWorld().columnNorm(2);
        double[] between = s3.position().clone();
        between[2] += 0.4 * step;
        Fault.StudyFaultException e = assertThrows(Fault.StudyFaultException.class, () -> loader.accept(
                new SliceInput(s3.number(), between, s3.rows(), s3.cols(), s3.stored(), null, Double.NaN, Double.NaN,
                        null, null, null)));
        assertEquals(Fault.Kind.OFF_LINE_SLICE, e.fault().kind());
        assertTrue(e.getMessage().contains("slice steps") && e.getMessage().contains("expected"), e.getMessage());
        double[] below = RealSeries.slice(CT, 0, true).position().clone();
        below[2] -= step;
        e = assertThrows(Fault.StudyFaultException.class, () -> loader.accept(
                new SliceInput(99, below, s3.rows(), s3.cols(), s3.stored(), null, Double.NaN, Double.NaN, null, null,
                        null)));
        assertTrue(e.getMessage().contains("-1.000 slice steps"), e.getMessage());
        assertEquals(3, loader.accept(s3).acquisitionSlice(), "the series goes on");
    }

    @Test
    void aHalfAnnouncedPlanIsAnInvalidHeader() {
        SeriesSpec s = RealSeries.spec(CT, true);
        Fault.StudyFaultException e = assertThrows(Fault.StudyFaultException.class, () -> new SeriesSpec(
                OptionalInt.of(5), s.rows(), s.cols(), s.rowSpacing(), s.colSpacing(), s.rowDirection(),
                s.colDirection(), 1, -1024, "HFS", new double[] {0, 0, 0}, Double.NaN));
        assertEquals(Fault.Kind.INVALID_HEADER, e.fault().kind());
        e = assertThrows(Fault.StudyFaultException.class, () -> new SeriesSpec(OptionalInt.of(5), s.rows(), s.cols(),
                s.rowSpacing(), s.colSpacing(), s.rowDirection(), s.colDirection(), 1, -1024, "HFS",
                new double[] {0, 0, 0}, 0.0));
        assertTrue(e.getMessage().contains("non-zero"), e.getMessage());
    }
}
