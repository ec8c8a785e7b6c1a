package com.edgeseg.sdk;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * One series being acquired and segmented. Thread-safe: any thread may call any method. Failures come as
 * {@link StudyException}s: thrown at once where the call itself is wrong, otherwise completing the returned
 * stage exceptionally; every failure is also an {@link StudyEvent.ErrorEvent}. A failed request never ends the
 * study, and never touches another study.
 */
public interface Study extends AutoCloseable {

    /**
     * Offers a slice, in any order. The stage completes when the slice is validated and placed (or fails with
     * the reason it was refused; the study goes on). At most {@link EdgeSegConfig#maxPendingSlices()} slices may
     * be unaccepted at once: beyond that this call blocks the producer until one is accepted (backpressure), or
     * throws {@link ResourceExhaustedException} after the request timeout.
     */
    CompletionStage<StudyEvent.Accepted> addSlice(Slice slice);

    /**
     * Ends the series: the volume is built from the accepted slices and segmented. The stage completes with the
     * final mask, or fails (e.g. a slice missing: the series stays open for it; an engine failure: call again to
     * retry).
     */
    CompletionStage<StudyEvent.FinalMask> endOfSeries();

    /**
     * Edits one class with clicks. Sent during acquisition, the click waits for the automatic mask and is applied
     * then; the stage completes with the changed box.
     */
    CompletionStage<StudyEvent.MaskDelta> click(String classOrName, List<ClickPoint> points);

    CompletionStage<StudyEvent.MaskDelta> undo();

    CompletionStage<StudyEvent.MaskDelta> redo();

    /** The current mask on the scanner grid; throws {@link InvalidRequestException} (NOT_READY) before the first. */
    LabelMap currentMask();

    /** Every prompt so far (automatic segmentation, clicks, undo, redo), replayable. */
    Ledger ledger();

    /** Events as a reactive stream; a subscriber that falls more than its buffer behind loses events. */
    Flow.Publisher<StudyEvent> events();

    /** Cancels queued work, fails waiting requests (STUDY_CLOSED) and frees the study's memory. */
    @Override
    void close();
}
