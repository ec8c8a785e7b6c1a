package com.edgeseg.actors.study;

import com.edgeseg.segment.SegmentationRequest;
import com.edgeseg.segment.Segmenter;
import com.edgeseg.segment.ProgressListener;
import com.edgeseg.segment.UserClick;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.volume.Volume;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every prompt that shaped a study's mask, in order: the automatic segmentation, each click, undo and redo, with
 * the time, the class, the clicks (scanner-grid voxel indices), the model package's sha256 and the fidelity
 * profile. {@link #replay} turns it back into the same mask on the same volume: the audit trail of a contour.
 */
public record Ledger(List<Entry> entries) {

    public enum Kind { AUTO, CLICK, UNDO, REDO }

    /**
     * @param classes class names or ids (AUTO: the automatic classes, empty = everything; CLICK: the one class edited)
     * @param clicks  the clicks of a CLICK entry in voxel indices of the scanner grid (column, row, slice)
     */
    public record Entry(Instant time, Kind kind, List<String> classes, List<UserClick> clicks, String modelSha256,
                        String profile) {
        public Entry {
            classes = List.copyOf(classes);
            clicks = List.copyOf(clicks);
        }
    }

    public Ledger {
        entries = List.copyOf(entries);
    }

    Ledger with(Entry e) {
        List<Entry> all = new ArrayList<>(entries);
        all.add(e);
        return new Ledger(all);
    }

    /** The request an AUTO or CLICK entry made of the segmenter, given the mask before it. */
    static SegmentationRequest request(Entry e, LabelVolume before) {
        return e.kind() == Kind.AUTO
                ? SegmentationRequest.auto(e.classes())
                : new SegmentationRequest(e.classes(), e.clicks(), Optional.of(before));
    }

    /**
     * Replays every entry on {@code volume} with {@code segmenter}, which must be of the package and profile the
     * entries name.
     *
     * @throws Fault.StudyFaultException if an entry names another model or profile, or the ledger does not start
     *         with the automatic segmentation
     */
    public LabelVolume replay(Segmenter segmenter, String modelSha256, Volume volume) {
        return replay(segmenter, modelSha256, volume, null);
    }

    /**
     * Replays every entry on the scanner-grid {@code volume} of a series whose automatic segmentation ran on
     * {@code grid}'s acquisition grid (null: the scanner grid itself), as the study did.
     */
    public LabelVolume replay(Segmenter segmenter, String modelSha256, Volume volume, SeriesGrid grid) {
        EditHistory history = null;
        for (Entry e : entries) {
            if (!e.modelSha256().equals(modelSha256) || !e.profile().equals(segmenter.profile().name())) {
                throw Fault.fail(Fault.Kind.INVALID_PROMPT, "ledger entry of " + e.time() + " was made with model "
                        + e.modelSha256() + " and profile " + e.profile() + "; expected this segmenter's "
                        + modelSha256 + " / " + segmenter.profile().name());
            }
            if (e.kind() == Kind.AUTO) {
                history = new EditHistory(auto(segmenter, volume, grid, request(e, null)), Integer.MAX_VALUE);
                continue;
            }
            if (history == null) {
                throw Fault.fail(Fault.Kind.NOT_READY, "ledger starts with " + e.kind() + "; expected AUTO first");
            }
            switch (e.kind()) {
                case CLICK -> history.apply(segmenter.segment(volume, request(e, history.current()),
                        ProgressListener.NONE).labels());
                case UNDO -> history.undo();
                case REDO -> history.redo();
                default -> throw new IllegalStateException(e.kind().toString());
            }
        }
        if (history == null) {
            throw Fault.fail(Fault.Kind.NOT_READY, "an empty ledger has no mask; expected at least the AUTO entry");
        }
        return history.current();
    }

    /** The automatic segmentation of a scanner-grid volume on its acquisition grid, back on the scanner grid. */
    static LabelVolume auto(Segmenter segmenter, Volume volume, SeriesGrid grid, SegmentationRequest request) {
        if (grid == null || !grid.planned()) {
            return segmenter.segment(volume, request, ProgressListener.NONE).labels();
        }
        LabelVolume acquired = segmenter.segment(grid.toAcquisition(volume), request, ProgressListener.NONE).labels();
        return grid.toScanner(acquired, volume.geometry());
    }
}
