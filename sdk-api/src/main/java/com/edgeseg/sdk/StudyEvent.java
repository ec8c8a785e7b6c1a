package com.edgeseg.sdk;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** What a study reports, in order: to its {@link StudyListener} and on {@link Study#events()}. */
public sealed interface StudyEvent {

    /** A slice passed validation and was placed; {@code alongNormalMm} is its position along the slice normal. */
    record Accepted(int instanceNumber, double alongNormalMm, int received, OptionalInt expected) implements StudyEvent {}

    /**
     * @param slicesReceived slices accepted so far
     * @param windowsDone    automatic windows finished
     * @param windowsQueued  automatic windows still to run
     * @param queuePosition  device jobs ahead of this study's job when it was queued
     */
    record Progress(int slicesReceived, OptionalInt expected, int windowsDone, int windowsQueued, int queuePosition)
            implements StudyEvent {}

    /** Slices [sliceFrom, sliceTo) of the mask are final; {@code labels} holds just those slices. */
    record SlabMask(int sliceFrom, int sliceTo, LabelMap labels) implements StudyEvent {}

    /** The automatic segmentation of the series; {@code classNames} names every label in it. */
    record FinalMask(LabelMap mask, Map<Integer, String> classNames) implements StudyEvent {}

    /** What a click, undo or redo did: the changed box and its new labels (no box: nothing changed). */
    record MaskDelta(EditKind kind, Optional<Box> box, Optional<LabelMap> labels) implements StudyEvent {}

    /** An operation failed with a typed error; the study goes on. */
    record ErrorEvent(String operation, StudyException error) implements StudyEvent {}

    enum EditKind { CLICK, UNDO, REDO }
}
