package com.edgeseg.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.volume.LabelVolume;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad slices, bad clicks, unknown classes, a bad header, a closed study and a series without tissue: each a typed
 * exception of the right kind that says what was expected, also reported as an error event; the study goes on,
 * and a study whose segmentation fails on the device leaves a study running beside it untouched.
 */
class StudyErrorsAreTypedTest {
    static final CtSeries SERIES = CtSeries.block();
    static Path pkg;
    static LabelVolume batch;
    static EdgeSeg edgeseg;

    @BeforeAll
    static void open() {
        pkg = CtSeries.testPackage();
        batch = SERIES.batch(pkg, CtSeries.AUTO);
        edgeseg = EdgeSeg.open(EdgeSegConfig.of(pkg));
    }

    @AfterAll
    static void close() {
        edgeseg.close();
    }

    static <T extends StudyException> T fails(Class<T> type, Reason reason, CompletionStage<?> stage) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> stage.toCompletableFuture().get(5, TimeUnit.MINUTES));
        T t = assertInstanceOf(type, e.getCause());
        assertEquals(reason, t.reason(), t.getMessage());
        assertTrue(t.getMessage().contains("expected"), "names what was expected: " + t.getMessage());
        return t;
    }

    @Test
    void badRequestsFailAloneAndTheStudyGoesOn() throws Exception {
        List<StudyEvent> heard = new CopyOnWriteArrayList<>();
        try (Study study = edgeseg.openStudy(SERIES.header(true), heard::add)) {
            int rows = SERIES.ct.dims().n1();
            int cols = SERIES.ct.dims().n0();
            Slice first = SERIES.slice(0, true);
            study.addSlice(first).toCompletableFuture().get(1, TimeUnit.MINUTES);

            fails(InvalidRequestException.class, Reason.BAD_SLICE, study.addSlice(
                    Slice.int16(99, first.imagePositionPatient(), rows, cols - 1, new short[rows * (cols - 1)])));
            float[] nan = SERIES.slice(1, false).float32();
            nan[5] = Float.NaN;
            fails(InvalidRequestException.class, Reason.BAD_SLICE, study.addSlice(
                    Slice.float32(2, SERIES.slice(1, false).imagePositionPatient(), rows, cols, nan)));
            double[] sideways = SERIES.slice(1, true).imagePositionPatient();
            sideways[1] += 10;
            fails(InvalidRequestException.class, Reason.OFF_LINE_SLICE, study.addSlice(
                    Slice.int16(2, sideways, rows, cols, first.int16())));
            fails(InvalidRequestException.class, Reason.DUPLICATE_SLICE, study.addSlice(SERIES.slice(0, false)));
            fails(InvalidRequestException.class, Reason.UNKNOWN_CLASS,
                    study.click("no such organ", List.of(ClickPoint.positive(2, 10, 10))));
            fails(InvalidRequestException.class, Reason.BAD_CLICK,
                    study.click("liver", List.of(ClickPoint.positive(2, rows + 5, 10))));
            fails(InvalidRequestException.class, Reason.NOT_READY, CompletionStageOf.mask(study));
            // a missing slice: the series stays open and takes it afterwards
            for (int k = 1; k < SERIES.slices() - 1; k++) {
                study.addSlice(SERIES.slice(k, k % 2 == 0));
            }
            fails(InvalidRequestException.class, Reason.INCOMPLETE_SERIES, study.endOfSeries());
            study.addSlice(SERIES.slice(SERIES.slices() - 1, true)).toCompletableFuture().get(1, TimeUnit.MINUTES);
            StudyEvent.FinalMask fin = study.endOfSeries().toCompletableFuture().get(5, TimeUnit.MINUTES);
            CtSeries.assertSame(batch, fin.mask(), "the refused requests left no trace");
            fails(InvalidRequestException.class, Reason.SLICE_AFTER_END, study.addSlice(SERIES.slice(3, true)));
            fails(InvalidRequestException.class, Reason.NOTHING_TO_UNDO, study.undo());
            fails(InvalidRequestException.class, Reason.BAD_CLICK,
                    study.click("liver", List.of(ClickPoint.positive(SERIES.slices(), 5, 5))));

            long errors = heard.stream().filter(e -> e instanceof StudyEvent.ErrorEvent).count();
            // every refused request is also an error event; currentMask() is a query and only throws
            assertEquals(10, errors, "every failed request is also an error event");
            study.close();
            InvalidRequestException closed = assertThrows(InvalidRequestException.class,
                    () -> study.addSlice(SERIES.slice(3, true)));
            assertEquals(Reason.STUDY_CLOSED, closed.reason());
        }
    }

    @Test
    void badHeadersAndClassesAreRefusedAtOpen() {
        SeriesHeader h = SERIES.header(false);
        InvalidRequestException skew = assertThrows(InvalidRequestException.class, () -> edgeseg.openStudy(
                new SeriesHeader(OptionalInt.empty(), h.rows(), h.cols(), h.rowSpacingMm(), h.colSpacingMm(),
                        h.rowDirection(), h.rowDirection(), 1, 0, PatientPosition.HFS, List.of())));
        assertEquals(Reason.INVALID_HEADER, skew.reason());
        assertTrue(skew.getMessage().contains("expected orthogonal"), skew.getMessage());
        InvalidRequestException cls = assertThrows(InvalidRequestException.class,
                () -> edgeseg.openStudy(h.withAutoClasses(List.of("liver", "unicorn"))));
        assertEquals(Reason.UNKNOWN_CLASS, cls.reason());
    }

    @Test
    void theMemoryBudgetIsAResourceError() throws Exception {
        long perSlice = 4L * SERIES.ct.dims().n0() * SERIES.ct.dims().n1();
        try (EdgeSeg small = EdgeSeg.open(EdgeSegConfig.of(pkg).withMemoryBudget(2 * perSlice));
             Study study = small.openStudy(SERIES.header(false))) {
            study.addSlice(SERIES.slice(0, true)).toCompletableFuture().get(1, TimeUnit.MINUTES);
            study.addSlice(SERIES.slice(1, true)).toCompletableFuture().get(1, TimeUnit.MINUTES);
            fails(ResourceExhaustedException.class, Reason.MEMORY_BUDGET, study.addSlice(SERIES.slice(2, true)));
        }
    }

    @Test
    void aStudyFailingOnTheDeviceDoesNotTouchAnotherRunningBesideIt() throws Exception {
        // a series of air only: its segmentation fails inside the device job (no foreground to crop to)
        CtSeries air = new CtSeries(com.edgeseg.volume.Volume.wrap(SERIES.ct.geometry(),
                filled(SERIES.ct.dims().voxelCount(), -1000f)));
        try (Study good = edgeseg.openStudy(SERIES.header(true));
             Study bad = edgeseg.openStudy(air.header(true))) {
            for (int k = 0; k < SERIES.slices(); k++) {
                // interleaved, as two scanners would send them
                good.addSlice(SERIES.slice(k, true));
                bad.addSlice(air.slice(SERIES.slices() - 1 - k, false));
            }
            CompletionStage<StudyEvent.FinalMask> badEnd = bad.endOfSeries();
            CompletionStage<StudyEvent.FinalMask> goodEnd = good.endOfSeries();
            fails(InvalidRequestException.class, Reason.BAD_IMAGE, badEnd);
            CtSeries.assertSame(batch, goodEnd.toCompletableFuture().get(5, TimeUnit.MINUTES).mask(),
                    "the good study beside the failing one");
            fails(InvalidRequestException.class, Reason.NOT_READY,
                    bad.click("liver", List.of(ClickPoint.positive(1, 1, 1))));
        }
    }

    static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /** currentMask() as a stage, so its failure is checked like the others. */
    static final class CompletionStageOf {
        static CompletionStage<LabelMap> mask(Study s) {
            java.util.concurrent.CompletableFuture<LabelMap> f = new java.util.concurrent.CompletableFuture<>();
            try {
                f.complete(s.currentMask());
            } catch (StudyException e) {
                f.completeExceptionally(e);
            }
            return f;
        }
    }
}
