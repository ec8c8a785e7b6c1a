package com.edgeseg.sdk;

import com.edgeseg.actors.study.Fault;
import com.edgeseg.actors.study.Loader;
import com.edgeseg.actors.study.MaskBox;
import com.edgeseg.actors.study.SeriesSpec;
import com.edgeseg.actors.study.SliceInput;
import com.edgeseg.actors.study.StudyNotice;
import com.edgeseg.geometry.ContinuousIndex;
import com.edgeseg.geometry.Dims;
import com.edgeseg.segment.UserClick;
import com.edgeseg.volume.LabelVolume;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Between the public types and the pipeline's: the scanner grid of the pipeline is (column, row, slice) in C
 * order, the public one slice by slice, row by row. Faults become the three exception kinds here, in one place.
 */
final class Convert {
    private Convert() {}

    static SeriesSpec spec(SeriesHeader h) {
        try {
            return new SeriesSpec(h.expectedSlices(), h.rows(), h.cols(), h.rowSpacingMm(), h.colSpacingMm(),
                    h.rowDirection(), h.colDirection(), h.rescaleSlope(), h.rescaleIntercept(), h.patientPosition().name(),
                    h.slicePlan() == null ? null : h.slicePlan().firstPosition(),
                    h.slicePlan() == null ? Double.NaN : h.slicePlan().stepMm());
        } catch (Fault.StudyFaultException e) {
            throw error(e.fault());
        }
    }

    static SliceInput slice(Slice s) {
        return new SliceInput(s.instanceNumber(), s.imagePositionPatient(), s.rows(), s.cols(), s.int16(), s.float32(),
                s.rescaleSlope(), s.rescaleIntercept(), s.rowDirection(), s.colDirection(), s.pixelSpacingMm());
    }

    static StudyException error(Fault f) {
        Reason r = Reason.valueOf(f.kind().name());
        return switch (f.category()) {
            case USER -> new InvalidRequestException(r, f.message());
            case RESOURCE -> new ResourceExhaustedException(r, f.message());
            case SYSTEM -> new SystemFaultException(r, f.message(), null);
        };
    }

    /** The typed error a failure of the pipeline, an ask or the engine stands for. */
    static StudyException error(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof StudyException e) {
            return e;
        }
        if (t instanceof TimeoutException) {
            return new ResourceExhaustedException(Reason.TIMEOUT, "no answer in time (" + t.getMessage()
                    + "); expected the device to keep up, or a longer request timeout");
        }
        Fault f = Fault.of(t);
        if (f.category() == Fault.Category.SYSTEM) {
            return new SystemFaultException(Reason.valueOf(f.kind().name()), f.message(), t);
        }
        return error(f);
    }

    static StudyEvent.Accepted accepted(Loader.Placed p) {
        return new StudyEvent.Accepted(p.number(), p.along(), p.received(), p.expected());
    }

    /** Slices [from, to) of a scanner-grid mask, slice by slice and row by row. */
    static LabelMap map(LabelVolume m, int from, int to) {
        Dims d = m.dims();
        int cols = d.n0();
        int rows = d.n1();
        byte[] out = new byte[(to - from) * rows * cols];
        byte[] all = m.toArray();
        int n2 = d.n2();
        for (int k = from; k < to; k++) {
            int base = (k - from) * rows * cols;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    out[base + r * cols + c] = all[(c * rows + r) * n2 + k];
                }
            }
        }
        return new LabelMap(from, to - from, rows, cols, out);
    }

    static Box box(MaskBox b) {
        return new Box(b.k0(), b.k1(), b.j0(), b.j1(), b.i0(), b.i1());
    }

    /** The labels of {@code m} inside box {@code b}, as a map of the box's size starting at its first slice. */
    static LabelMap patch(LabelVolume m, MaskBox b) {
        int slices = b.k1() - b.k0();
        int rows = b.j1() - b.j0();
        int cols = b.i1() - b.i0();
        byte[] out = new byte[slices * rows * cols];
        for (int k = 0; k < slices; k++) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    out[(k * rows + r) * cols + c] = (byte) m.get(b.i0() + c, b.j0() + r, b.k0() + k);
                }
            }
        }
        return new LabelMap(b.k0(), slices, rows, cols, out);
    }

    static UserClick click(ClickPoint p) {
        return new UserClick(new ContinuousIndex(p.col(), p.row(), p.slice()), p.positive());
    }

    static ClickPoint point(UserClick c) {
        return new ClickPoint(c.position().k(), c.position().j(), c.position().i(), c.positive());
    }

    static StudyEvent.MaskDelta delta(StudyNotice.MaskChanged m) {
        StudyEvent.EditKind kind = StudyEvent.EditKind.valueOf(m.cause().name());
        return new StudyEvent.MaskDelta(kind, m.box().map(Convert::box), m.box().map(b -> patch(m.mask(), b)));
    }

    static StudyEvent event(StudyNotice n) {
        if (n instanceof StudyNotice.SliceAccepted a) {
            return new StudyEvent.Accepted(a.number(), a.along(), a.received(), a.expected());
        }
        if (n instanceof StudyNotice.Progress p) {
            return new StudyEvent.Progress(p.slices(), p.expected(), p.windowsDone(), p.windowsQueued(), p.queueAhead());
        }
        if (n instanceof StudyNotice.SlabReady s) {
            LabelMap slab = map(s.slab(), 0, s.toSlice() - s.fromSlice());
            return new StudyEvent.SlabMask(s.fromSlice(), s.toSlice(), new LabelMap(s.fromSlice(), slab.slices(),
                    slab.rows(), slab.cols(), slab.toArray()));
        }
        if (n instanceof StudyNotice.FinalMask f) {
            return new StudyEvent.FinalMask(map(f.mask(), 0, f.mask().dims().n2()), f.classes());
        }
        if (n instanceof StudyNotice.MaskChanged m) {
            return delta(m);
        }
        StudyNotice.Error e = (StudyNotice.Error) n;
        return new StudyEvent.ErrorEvent(e.operation(), error(e.fault()));
    }

    static Ledger ledger(com.edgeseg.actors.study.Ledger l) {
        return new Ledger(l.entries().stream().map(e -> new Ledger.Entry(e.time(), Ledger.Kind.valueOf(e.kind().name()),
                e.classes(), e.clicks().stream().map(Convert::point).toList(), e.modelSha256(), e.profile())).toList());
    }

    static com.edgeseg.actors.study.Ledger ledger(Ledger l) {
        List<com.edgeseg.actors.study.Ledger.Entry> out = l.entries().stream().map(e ->
                new com.edgeseg.actors.study.Ledger.Entry(e.time(),
                        com.edgeseg.actors.study.Ledger.Kind.valueOf(e.kind().name()), e.classes(),
                        e.points().stream().map(Convert::click).toList(), e.modelSha256(), e.profile())).toList();
        return new com.edgeseg.actors.study.Ledger(out);
    }
}
