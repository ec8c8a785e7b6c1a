package com.edgeseg.actors.study;

import com.edgeseg.volume.LabelVolume;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** What a study tells its listener, in order, from the study actor's thread; the listener must not block. */
public sealed interface StudyNotice {

    /** A slice passed validation and was placed; {@code along} is its position along the slice normal (mm). */
    record SliceAccepted(int number, double along, int received, OptionalInt expected) implements StudyNotice {}

    /**
     * @param slices        slices received so far
     * @param windowsDone   automatic windows finished (of the current segmentation)
     * @param windowsQueued automatic windows still to run
     * @param queueAhead    device jobs ahead of this study's job when it was queued
     */
    record Progress(int slices, OptionalInt expected, int windowsDone, int windowsQueued, int queueAhead)
            implements StudyNotice {}

    /**
     * Scanner slices [fromSlice, toSlice) are final: {@code slab} holds their labels (column, row, slice - fromSlice),
     * toSlice - fromSlice slices deep.
     */
    record SlabReady(int fromSlice, int toSlice, LabelVolume slab) implements StudyNotice {}

    /** The automatic segmentation of the whole series; {@code classes} names every label in it. */
    record FinalMask(LabelVolume mask, Map<Integer, String> classes) implements StudyNotice {}

    /** A click, undo or redo changed {@code box} of the mask (empty: nothing changed); {@code mask} is the new mask. */
    record MaskChanged(Ledger.Kind cause, Optional<MaskBox> box, LabelVolume mask) implements StudyNotice {}

    /** An operation failed; the study goes on. */
    record Error(String operation, Fault fault) implements StudyNotice {}
}
