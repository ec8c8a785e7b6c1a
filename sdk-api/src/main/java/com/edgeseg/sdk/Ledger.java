package com.edgeseg.sdk;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Every prompt that shaped a study's mask, in order, with the model (sha256 of its manifest) and profile it ran
 * with: the audit trail of a contour. {@link #replay} recomputes the mask from the series' slices.
 */
public record Ledger(List<Entry> entries) {

    public enum Kind { AUTO, CLICK, UNDO, REDO }

    /**
     * @param classes AUTO: the automatic classes (empty: the package's everything set); CLICK: the class edited
     * @param points  the clicks of a CLICK entry
     */
    public record Entry(Instant time, Kind kind, List<String> classes, List<ClickPoint> points, String modelSha256,
                        String profile) {
        public Entry {
            classes = List.copyOf(classes);
            points = List.copyOf(points);
        }
    }

    public Ledger {
        entries = List.copyOf(entries);
    }

    /**
     * Rebuilds the series from {@code slices} (any order) and replays every entry on {@code edgeseg}'s engine,
     * which must run the model and profile the entries name. Blocks until done.
     *
     * @return the mask the study had when this ledger was taken
     */
    public LabelMap replay(EdgeSeg edgeseg, SeriesHeader header, Collection<Slice> slices) {
        return edgeseg.replay(this, header, slices);
    }
}
