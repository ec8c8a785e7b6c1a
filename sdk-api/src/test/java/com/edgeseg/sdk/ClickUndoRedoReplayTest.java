package com.edgeseg.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.engine.EngineOptions;
import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.ContinuousIndex;
import com.edgeseg.pkg.ModelPackage;
import com.edgeseg.segment.ProgressListener;
import com.edgeseg.segment.SegmentationRequest;
import com.edgeseg.segment.Segmenter;
import com.edgeseg.segment.UserClick;
import com.edgeseg.volume.LabelVolume;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Through the public SDK on a real CT: a click sent during acquisition and one after it give the Segmenter's
 * masks for the same requests, each MaskDelta's box holds every change (nothing outside it moves), undo and redo
 * step back and forth, and the ledger replays from the slices to the current mask.
 */
class ClickUndoRedoReplayTest {
    static final CtSeries SERIES = CtSeries.block();

    static <T> T get(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(5, TimeUnit.MINUTES);
    }

    static void assertOnlyInside(LabelMap before, LabelMap after, Optional<Box> box) {
        for (int k = 0; k < before.slices(); k++) {
            for (int r = 0; r < before.rows(); r++) {
                for (int c = 0; c < before.cols(); c++) {
                    if (box.isEmpty() || !box.get().contains(k, r, c)) {
                        assertEquals(before.label(k, r, c), after.label(k, r, c), "voxel outside the delta's box changed");
                    }
                }
            }
        }
    }

    @Test
    void clicksUndoRedoAndReplay() throws Exception {
        Path pkg = CtSeries.testPackage();
        ClickPoint during = ClickPoint.positive(8, 14, 14);
        ClickPoint after = ClickPoint.positive(12, 10, 20);
        LabelVolume auto;
        LabelVolume afterFirst;
        LabelVolume afterSecond;
        try (Segmenter s = Segmenter.open(ModelPackage.open(pkg), EngineOptions.defaults(), FidelityProfile.product())) {
            auto = s.segment(SERIES.ct, SegmentationRequest.auto(CtSeries.AUTO), ProgressListener.NONE).labels();
            afterFirst = s.segment(SERIES.ct, new SegmentationRequest(List.of("liver"), List.of(click(during)),
                    Optional.of(auto)), ProgressListener.NONE).labels();
            afterSecond = s.segment(SERIES.ct, new SegmentationRequest(List.of("spleen"), List.of(click(after)),
                    Optional.of(afterFirst)), ProgressListener.NONE).labels();
        }
        List<Slice> slices = new ArrayList<>();
        try (EdgeSeg edgeseg = EdgeSeg.open(EdgeSegConfig.of(pkg));
             Study study = edgeseg.openStudy(SERIES.header(true))) {
            for (int k : SERIES.order(CtSeries.Order.REVERSE)) {
                slices.add(SERIES.slice(k, true));
                study.addSlice(slices.get(slices.size() - 1));
                if (k == SERIES.slices() / 2) {
                    break;
                }
            }
            CompletionStage<StudyEvent.MaskDelta> first = study.click("liver", List.of(during));
            for (int k = SERIES.slices() / 2 - 1; k >= 0; k--) {
                slices.add(SERIES.slice(k, true));
                study.addSlice(slices.get(slices.size() - 1));
            }
            assertTrue(!first.toCompletableFuture().isDone(), "a click during acquisition waits for the mask");
            LabelMap autoMask = get(study.endOfSeries()).mask();
            CtSeries.assertSame(auto, autoMask, "auto");

            StudyEvent.MaskDelta d1 = get(first);
            LabelMap m1 = study.currentMask();
            CtSeries.assertSame(afterFirst, m1, "click during acquisition");
            assertOnlyInside(autoMask, m1, d1.box());
            d1.box().ifPresent(b -> {
                LabelMap patch = d1.labels().orElseThrow();
                for (int k = 0; k < b.slices(); k++) {
                    for (int r = 0; r < b.rows(); r++) {
                        for (int c = 0; c < b.cols(); c++) {
                            assertEquals(m1.label(b.sliceFrom() + k, b.rowFrom() + r, b.colFrom() + c), patch.label(k, r, c));
                        }
                    }
                }
            });

            StudyEvent.MaskDelta d2 = get(study.click("spleen", List.of(after)));
            LabelMap m2 = study.currentMask();
            CtSeries.assertSame(afterSecond, m2, "click after acquisition");
            assertOnlyInside(m1, m2, d2.box());
            assertTrue(d1.box().isPresent() || d2.box().isPresent(), "the clicks changed the mask");

            assertEquals(StudyEvent.EditKind.UNDO, get(study.undo()).kind());
            assertArrayEquals(m1.toArray(), study.currentMask().toArray(), "undo");
            get(study.undo());
            assertArrayEquals(autoMask.toArray(), study.currentMask().toArray(), "undo twice: the automatic mask");
            assertEquals(StudyEvent.EditKind.REDO, get(study.redo()).kind());
            assertArrayEquals(m1.toArray(), study.currentMask().toArray(), "redo");

            Ledger ledger = study.ledger();
            assertEquals(List.of(Ledger.Kind.AUTO, Ledger.Kind.CLICK, Ledger.Kind.CLICK, Ledger.Kind.UNDO,
                    Ledger.Kind.UNDO, Ledger.Kind.REDO), ledger.entries().stream().map(Ledger.Entry::kind).toList());
            Ledger.Entry click = ledger.entries().get(1);
            assertEquals(List.of(during), click.points());
            assertEquals(List.of("liver"), click.classes());
            assertEquals(edgeseg.modelSha256(), click.modelSha256());
            assertEquals("product", click.profile());
            LabelMap replayed = ledger.replay(edgeseg, SERIES.header(true), slices);
            assertArrayEquals(study.currentMask().toArray(), replayed.toArray(), "replay reproduces the mask");
        }
    }

    @Test
    void zeroShotClicksAreAskedForExplicitly() throws Exception {
        Path pkg = CtSeries.testPackage();
        ClickPoint p = ClickPoint.positive(8, 14, 14);
        LabelVolume expected;
        try (Segmenter s = Segmenter.open(ModelPackage.open(pkg), EngineOptions.defaults(), FidelityProfile.product())) {
            LabelVolume auto = s.segment(SERIES.ct, SegmentationRequest.auto(CtSeries.AUTO), ProgressListener.NONE).labels();
            expected = s.segment(SERIES.ct, new SegmentationRequest(List.of("new:lesion"), List.of(click(p)),
                    Optional.of(auto)), ProgressListener.NONE).labels();
        }
        try (EdgeSeg edgeseg = EdgeSeg.open(EdgeSegConfig.of(pkg));
             Study study = edgeseg.openStudy(SERIES.header(true))) {
            for (int k : SERIES.order(CtSeries.Order.SCANNER)) {
                study.addSlice(SERIES.slice(k, true));
            }
            get(study.endOfSeries());
            java.util.concurrent.ExecutionException typo = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class, () -> get(study.click("lesoin", List.of(p))));
            assertTrue(typo.getCause() instanceof InvalidRequestException e && e.reason() == Reason.UNKNOWN_CLASS
                    && e.getMessage().contains("new:"), typo.getCause().toString());
            get(study.click("new:lesion", List.of(p)));
            CtSeries.assertSame(expected, study.currentMask(), "zero-shot click = Segmenter with new:lesion");
            Ledger.Entry entry = study.ledger().entries().get(1);
            assertEquals(List.of("new:lesion"), entry.classes(), "the ledger keeps the explicit zero-shot prompt");
        }
    }

    static UserClick click(ClickPoint p) {
        return new UserClick(new ContinuousIndex(p.col(), p.row(), p.slice()), p.positive());
    }
}
