package com.edgeseg.actors.study;

import com.edgeseg.actors.scheduler.EngineScheduler;
import com.edgeseg.actors.scheduler.EngineScheduler.Priority;
import com.edgeseg.actors.study.Fault.Kind;
import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.ContinuousIndex;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.prompt.ClassTable;
import com.edgeseg.prompt.PromptResolver;
import com.edgeseg.segment.AutoStream;
import com.edgeseg.segment.SegmentationResult;
import com.edgeseg.segment.ClickSession;
import com.edgeseg.segment.ProgressListener;
import com.edgeseg.segment.SegmentationRequest;
import com.edgeseg.segment.Segmenter;
import com.edgeseg.segment.UserClick;
import com.edgeseg.volume.LabelSlab;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.volume.Volume;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;
import com.edgeseg.window.Window;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One series: owns its {@link Loader}, its automatic segmentation in stages ({@link AutoStream}), the volume once
 * the series ended, the mask with its edit history and the {@link Ledger}. Windows and clicks run as jobs of the
 * device's {@link EngineScheduler}, one job of this study at a time; everything else (validation, placing and
 * resampling slices, undo, redo) runs here.
 *
 * <p>Streaming: when the header announces a slice plan (count, first position, step) the acquisition grid is known
 * before the first slice ({@link SeriesGrid}); each slice is placed in the network image as it comes, a window runs
 * as soon as its planes are in, and every slab of the scanner grid that no later window touches is reported at once
 * ({@link StudyNotice.SlabReady}), while later slices are still arriving. Without a plan the same stages run at the
 * end of the series. Under a profile whose lattice needs the whole volume (parity) the study runs
 * {@link Segmenter#segment} at the end of the series instead. A window whose engine call fails is retried once.
 *
 * <p>Clicks sent while the series is still arriving (or while the automatic segmentation runs) are queued, bounded,
 * and applied in order once the automatic mask exists; undo and redo queue behind them.
 *
 * <p>Every refused request is answered {@link Refused} with a typed {@link Fault} and also reported as a
 * {@link StudyNotice.Error}; the study goes on. A failed job (an engine error, an image without foreground)
 * fails that request only; a failed automatic segmentation can be retried with another end-of-series.
 */
public final class StudyActor extends AbstractBehavior<StudyActor.Command> {

    /**
     * @param studyId          the study's name on the device queue
     * @param autoClasses      classes to segment automatically (names or ids; empty = the package's everything set)
     * @param memoryBudgetBytes bytes the study's slices may take
     * @param maxPendingEdits  clicks/undo/redo that may wait for the automatic mask
     * @param historyDepth     edits that can be undone
     * @param modelSha256      sha256 of the package's manifest, for the ledger
     * @param profile          the fidelity profile's name, for the ledger
     * @param classes          the package's class table (unknown classes are refused before any work)
     */
    public record Settings(String studyId, SeriesSpec spec, List<String> autoClasses, long memoryBudgetBytes,
                           int maxPendingEdits, int historyDepth, String modelSha256, String profile,
                           ClassTable classes) {
        public Settings {
            autoClasses = List.copyOf(autoClasses);
        }
    }

    /**
     * Plans the automatic segmentation of a series on its acquisition grid (no engine call; must be safe to call from
     * any thread): {@link Segmenter#autoStream} of the study's device.
     */
    @FunctionalInterface
    public interface StreamPlanner {
        AutoStream plan(Geometry acquisitionGrid, List<String> classes);
    }

    /** Messages a study takes. */
    public sealed interface Command permits AddSlice, EndOfSeries, Click, Undo, Redo, GetMask, GetLedger, Close,
            JobAnswer, WindowProgress, RetryAuto {}

    /** Validate and place a slice; answered Ok(Loader.Placed) or Refused. */
    public record AddSlice(SliceInput slice, ActorRef<Outcome> replyTo) implements Command {}

    /** End the series: answered Ok(volume dims) once the volume is built and its segmentation queued. */
    public record EndOfSeries(ActorRef<Outcome> replyTo) implements Command {}

    /** Edit one class with clicks (scanner-grid voxel indices); answered Ok(MaskChanged) once applied. */
    public record Click(String classOrName, List<UserClick> clicks, ActorRef<Outcome> replyTo) implements Command {}

    public record Undo(ActorRef<Outcome> replyTo) implements Command {}

    public record Redo(ActorRef<Outcome> replyTo) implements Command {}

    /** Answered Ok(LabelVolume) with the current mask, or Refused(NOT_READY). */
    public record GetMask(ActorRef<Outcome> replyTo) implements Command {}

    public record GetLedger(ActorRef<Ledger> replyTo) implements Command {}

    /** Cancels queued work, refuses waiting edits and stops; the study's buffers and masks go with it. */
    public record Close(ActorRef<Outcome> replyTo) implements Command {}

    record JobAnswer(EngineScheduler.Reply reply) implements Command {}

    record WindowProgress(int done, int total) implements Command {}

    record RetryAuto() implements Command {}

    /** The answer to a request. */
    public sealed interface Outcome permits Ok, Refused {}

    public record Ok(Object value) implements Outcome {}

    public record Refused(Fault fault) implements Outcome {}

    private enum State { ACQUIRING, SEGMENTING, READY, AUTO_FAILED }

    private final Settings settings;
    private final ActorRef<EngineScheduler.Command<Segmenter>> device;
    private final Consumer<StudyNotice> listener;
    private final ActorRef<EngineScheduler.Reply> jobReplies;
    private final TimerScheduler<Command> timers;
    private final SeriesGrid grid;
    private final StreamPlanner planner;
    private final ArrayDeque<Command> pendingEdits = new ArrayDeque<>();
    /** The automatic segmentation in stages, once its grid is known (null under the parity profile). */
    private AutoStream stream;
    /** The stream's window on the device, or null. */
    private Window runningWindow;
    private int windowRetries;
    private Loader loader;
    private Volume volume;
    private EditHistory history;
    private Ledger ledger = new Ledger(List.of());
    private State state = State.ACQUIRING;
    private long nextJob = 1;
    /** The one job of this study on the device (segmentation or a click), or none. */
    private long runningJob;
    private Click runningClick;
    private Instant autoRequested;
    /**
     * The volume preprocessed once and the click windows' encoder outputs, for every click of this study: a quarter
     * of the study's memory budget, at most 256 MiB.
     */
    private final ClickSessions clickSessions;

    /** A study that segments the whole volume at the end of the series ({@link Segmenter#segment}). */
    public static Behavior<Command> create(Settings settings, ActorRef<EngineScheduler.Command<Segmenter>> device,
                                           Consumer<StudyNotice> listener) {
        return create(settings, device, listener, null);
    }

    /**
     * A study that segments in stages planned by {@code planner} (null: whole volume at the end of the series),
     * while slices arrive when the header announces a slice plan.
     */
    public static Behavior<Command> create(Settings settings, ActorRef<EngineScheduler.Command<Segmenter>> device,
                                           Consumer<StudyNotice> listener, StreamPlanner planner) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new StudyActor(ctx, timers, settings, device, listener, planner)));
    }

    private StudyActor(ActorContext<Command> ctx, TimerScheduler<Command> timers, Settings settings,
                       ActorRef<EngineScheduler.Command<Segmenter>> device, Consumer<StudyNotice> listener,
                       StreamPlanner planner) {
        super(ctx);
        this.timers = timers;
        this.settings = settings;
        this.device = device;
        this.listener = listener;
        this.planner = planner;
        this.grid = new SeriesGrid(settings.spec());
        this.clickSessions = new ClickSessions(Math.min(256L << 20, settings.memoryBudgetBytes() / 4));
        this.loader = new Loader(settings.spec(), settings.memoryBudgetBytes());
        this.jobReplies = ctx.messageAdapter(EngineScheduler.Reply.class, JobAnswer::new);
        if (planner != null && grid.planned()) {
            autoRequested = Instant.now();
            stream = planStream(grid.acquisitionGeometry());
        }
    }

    /** The stream of {@code acquisitionGrid}, or null (reported) when it cannot be planned. */
    private AutoStream planStream(Geometry acquisitionGrid) {
        try {
            return planner.plan(acquisitionGrid, settings.autoClasses());
        } catch (RuntimeException e) {
            notice(new StudyNotice.Error("segmentation", Fault.of(e)));
            return null;
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(AddSlice.class, this::onAddSlice)
                .onMessage(EndOfSeries.class, this::onEndOfSeries)
                .onMessage(Click.class, this::onClick)
                .onMessage(Undo.class, m -> queueEdit(m, m.replyTo()))
                .onMessage(Redo.class, m -> queueEdit(m, m.replyTo()))
                .onMessage(GetMask.class, this::onGetMask)
                .onMessage(GetLedger.class, m -> {
                    m.replyTo().tell(ledger);
                    return this;
                })
                .onMessage(Close.class, this::onClose)
                .onSignal(org.apache.pekko.actor.typed.PostStop.class, sig -> {
                    clickSessions.close(); // however the study stops (closed, failed, its system shut down)
                    return this;
                })
                .onMessage(JobAnswer.class, m -> onJob(m.reply()))
                .onMessage(WindowProgress.class, m -> {
                    notice(new StudyNotice.Progress(volume.dims().n2(), settings.spec().expectedSlices(), m.done(),
                            m.total() - m.done(), 0));
                    return this;
                })
                .onMessage(RetryAuto.class, m -> {
                    if (stream != null) {
                        pumpWindows();
                    } else {
                        submitAuto();
                    }
                    return this;
                })
                .build();
    }

    private Behavior<Command> onAddSlice(AddSlice m) {
        try {
            Loader.Placed placed = loader.accept(m.slice());
            m.replyTo().tell(new Ok(placed));
            notice(new StudyNotice.SliceAccepted(placed.number(), placed.along(), placed.received(), placed.expected()));
            notice(progress(0));
            if (stream != null && placed.acquisitionSlice() >= 0) {
                stream.acceptSlice(placed.acquisitionSlice(), loader.seriesPlane(placed));
                pumpWindows();
            }
        } catch (Fault.StudyFaultException e) {
            refuse(m.replyTo(), "slice " + m.slice().number(), e.fault());
        }
        return this;
    }

    private StudyNotice.Progress progress(int queueAhead) {
        int done = stream == null ? 0 : stream.windowsDone();
        int queued = stream == null ? 0 : stream.windowCount() - done;
        int slices = volume != null ? volume.dims().n2() : loader.received();
        return new StudyNotice.Progress(slices, settings.spec().expectedSlices(), done, queued, queueAhead);
    }

    /** Runs the stream's next window if its planes are in and no job of this study is on the device. */
    private void pumpWindows() {
        if (stream == null || runningWindow != null || state == State.AUTO_FAILED || state == State.READY) {
            return;
        }
        Window w = stream.nextReadyWindow();
        if (w == null) {
            finishStream();
            return;
        }
        runningWindow = w;
        runningJob = nextJob++;
        AutoStream s = stream;
        device.tell(new EngineScheduler.Submit<>(new EngineScheduler.Job<>(settings.studyId(), runningJob,
                Priority.AUTO, "window " + w.index(), d -> s.runWindow(w)), jobReplies));
    }

    /** A window ran: report the scanner slices it decided, then the next window (or the final mask). */
    private void windowDone(List<LabelSlab> decided) {
        runningWindow = null;
        windowRetries = 0;
        int n = grid.planned() ? grid.acquisitionGeometry().dims().n2() : volume.dims().n2();
        for (LabelSlab slab : decided) {
            int first = grid.scannerSlice(slab.firstPlane() + (grid.descending() ? slab.planes() - 1 : 0), n);
            Geometry g = Geometry.of(slab.dims(), Affine.identity());
            LabelVolume scanner = grid.toScanner(LabelVolume.wrap(g, slab.labels()), g);
            notice(new StudyNotice.SlabReady(first, first + slab.planes(), scanner));
        }
        notice(progress(0));
        pumpWindows();
    }

    /** The final mask once every window ran and the series has ended. */
    private void finishStream() {
        if (!stream.finished() || volume == null || state != State.SEGMENTING) {
            return;
        }
        LabelVolume acquired = stream.result();
        LabelVolume mask = grid.toScanner(acquired, volume.geometry());
        autoDone(mask, stream.classesIn(acquired));
    }

    private Behavior<Command> onEndOfSeries(EndOfSeries m) {
        if (state == State.AUTO_FAILED && volume != null) {
            // the volume exists: run its segmentation again (e.g. after an engine failure)
            m.replyTo().tell(new Ok(volume.dims()));
            state = State.SEGMENTING;
            if (stream != null) {
                pumpWindows();
            } else {
                startAuto();
            }
            return this;
        }
        try {
            volume = loader.endOfSeries();
            // the loader's buffers are gone; the volume holds the series from now on
            notice(progress(0));
            m.replyTo().tell(new Ok(volume.dims()));
            if (autoRequested == null) {
                autoRequested = Instant.now();
            }
            state = State.SEGMENTING;
            if (stream == null && planner != null && !grid.planned()) {
                // no slice plan: the grid is known now; the same stages run over the whole series
                stream = planStream(volume.geometry());
                if (stream != null) {
                    stream.acceptAll(volume);
                }
            }
            if (stream != null) {
                pumpWindows();
            } else {
                submitAuto();
            }
        } catch (Fault.StudyFaultException e) {
            refuse(m.replyTo(), "end of series", e.fault());
        }
        return this;
    }

    private void startAuto() {
        state = State.SEGMENTING;
        autoRequested = Instant.now();
        submitAuto();
    }

    private void submitAuto() {
        Volume v = grid.toAcquisition(volume);
        List<String> classes = settings.autoClasses();
        ActorRef<Command> self = getContext().getSelf();
        runningJob = nextJob++;
        device.tell(new EngineScheduler.Submit<>(new EngineScheduler.Job<>(settings.studyId(), runningJob,
                Priority.AUTO, "segment", s -> s.segment(v, Ledger.request(autoEntry(), null),
                        (stage, done, total) -> {
                            if (stage.startsWith("auto windows")) {
                                self.tell(new WindowProgress(done, total));
                            }
                        })), jobReplies));
    }

    /** A whole-volume result (acquisition grid) on the scanner grid. */
    private void wholeVolumeDone(SegmentationResult r) {
        autoDone(grid.toScanner(r.labels(), volume.geometry()), r.classes());
    }

    private Ledger.Entry autoEntry() {
        return new Ledger.Entry(autoRequested, Ledger.Kind.AUTO, settings.autoClasses(), List.of(),
                settings.modelSha256(), settingsProfile());
    }

    private String settingsProfile() {
        return settings.profile();
    }

    private Behavior<Command> onClick(Click m) {
        String cls = m.classOrName() == null ? "" : m.classOrName().trim();
        if (!knownClass(cls)) {
            refuse(m.replyTo(), "click", new Fault(Kind.UNKNOWN_CLASS, "class '" + m.classOrName()
                    + "' is not in the model's class table; expected a class name or id of the package, or "
                    + PromptResolver.ZERO_SHOT_PREFIX + "NAME for a structure the model never saw"));
            return this;
        }
        if (m.clicks().isEmpty()) {
            refuse(m.replyTo(), "click", new Fault(Kind.BAD_CLICK, "a click edit without points; expected at least one"));
            return this;
        }
        for (UserClick c : m.clicks()) {
            String outside = outside(c.position());
            if (outside != null) {
                refuse(m.replyTo(), "click", new Fault(Kind.BAD_CLICK, outside));
                return this;
            }
        }
        return queueEdit(m, m.replyTo());
    }

    private boolean knownClass(String cls) {
        if (cls.isEmpty()) {
            return false;
        }
        ClassTable t = settings.classes();
        if (t.byName(cls).isPresent()) {
            return true;
        }
        if (cls.regionMatches(true, 0, PromptResolver.ZERO_SHOT_PREFIX, 0, PromptResolver.ZERO_SHOT_PREFIX.length())) {
            // a structure the model never saw, asked for explicitly: zero-shot clicks (the resolver checks the rest)
            return cls.length() > PromptResolver.ZERO_SHOT_PREFIX.length();
        }
        try {
            return t.byId(Integer.parseInt(cls)).isPresent();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Why a click lies outside the scanner grid (the part of it known so far), or null if it does not. */
    private String outside(ContinuousIndex p) {
        SeriesSpec s = settings.spec();
        int slices = volume != null ? volume.dims().n2()
                : s.expectedSlices().orElse(Integer.MAX_VALUE);
        double[] max = {s.cols() - 1, s.rows() - 1, slices - 1};
        String[] axis = {"column", "row", "slice"};
        for (int a = 0; a < 3; a++) {
            double x = p.get(a);
            if (!Double.isFinite(x) || x < 0 || x > max[a]) {
                return "click at " + axis[a] + " " + x + " is outside the series; expected " + axis[a] + " within [0, "
                        + (max[a] == Integer.MAX_VALUE - 1 ? "the last slice" : String.valueOf((long) max[a])) + "]";
            }
        }
        return null;
    }

    private Behavior<Command> queueEdit(Command edit, ActorRef<Outcome> replyTo) {
        if (state == State.AUTO_FAILED) {
            refuse(replyTo, editName(edit), new Fault(Kind.NOT_READY, "the automatic segmentation failed; expected "
                    + "endOfSeries again to retry it before edits"));
            return this;
        }
        if (pendingEdits.size() >= settings.maxPendingEdits()) {
            refuse(replyTo, editName(edit), new Fault(Kind.QUEUE_FULL, pendingEdits.size() + " edits are already waiting"
                    + "; expected at most " + settings.maxPendingEdits() + " (wait for one to be applied)"));
            return this;
        }
        pendingEdits.addLast(edit);
        pump();
        return this;
    }

    /** Applies waiting edits in order while the mask exists and no click is on the device. */
    private void pump() {
        while (state == State.READY && runningClick == null && !pendingEdits.isEmpty()) {
            Command next = pendingEdits.pollFirst();
            if (next instanceof Click c) {
                String outside = c.clicks().stream().map(u -> outside(u.position())).filter(x -> x != null)
                        .findFirst().orElse(null);
                if (outside != null) {
                    refuse(c.replyTo(), "click", new Fault(Kind.BAD_CLICK, outside));
                    continue;
                }
                submitClick(c);
            } else if (next instanceof Undo u) {
                undoRedo(u.replyTo(), Ledger.Kind.UNDO);
            } else if (next instanceof Redo r) {
                undoRedo(r.replyTo(), Ledger.Kind.REDO);
            }
        }
    }

    private void undoRedo(ActorRef<Outcome> replyTo, Ledger.Kind kind) {
        try {
            EditHistory.Change ch = kind == Ledger.Kind.UNDO ? history.undo() : history.redo();
            ledger = ledger.with(new Ledger.Entry(Instant.now(), kind, List.of(), List.of(), settings.modelSha256(),
                    settingsProfile()));
            StudyNotice.MaskChanged changed = new StudyNotice.MaskChanged(kind, ch.box(), ch.mask());
            replyTo.tell(new Ok(changed));
            notice(changed);
        } catch (Fault.StudyFaultException e) {
            refuse(replyTo, kind.name().toLowerCase(), e.fault());
        }
    }

    private void submitClick(Click c) {
        runningClick = c;
        runningJob = nextJob++;
        Volume v = volume;
        Ledger.Entry entry = new Ledger.Entry(Instant.now(), Ledger.Kind.CLICK, List.of(c.classOrName().trim()),
                c.clicks(), settings.modelSha256(), settingsProfile());
        LabelVolume before = history.current();
        device.tell(new EngineScheduler.Submit<>(new EngineScheduler.Job<>(settings.studyId(), runningJob,
                Priority.CLICK, "click", s -> {
                    ClickSession session = clickSessions.acquire(s, v);
                    try {
                        SegmentationRequest request = Ledger.request(entry, before);
                        return new ClickResult(entry, (session != null ? session.segment(request, ProgressListener.NONE)
                                : s.segment(v, request, ProgressListener.NONE)).labels());
                    } finally {
                        clickSessions.release();
                    }
                }), jobReplies));
    }

    /** A click's new mask and its ledger entry (built before the job, so replay sees the same request). */
    private record ClickResult(Ledger.Entry entry, LabelVolume mask) {}

    private Behavior<Command> onJob(EngineScheduler.Reply r) {
        if (r.jobId() != runningJob) {
            return this; // an answer for a job this study no longer waits for
        }
        if (r instanceof EngineScheduler.Queued q) {
            notice(progress(q.ahead()));
        } else if (r instanceof EngineScheduler.Rejected no) {
            if (runningWindow != null) {
                runningWindow = null;
                timers.startSingleTimer(new RetryAuto(), Duration.ofMillis(200));
            } else if (runningClick == null) {
                // automatic work waits for room on the device rather than fail
                timers.startSingleTimer(new RetryAuto(), Duration.ofMillis(200));
            } else {
                Click c = runningClick;
                runningClick = null;
                refuse(c.replyTo(), "click", new Fault(Kind.QUEUE_FULL, no.reason()));
                pump();
            }
        } else if (r instanceof EngineScheduler.Completed done) {
            if (runningWindow != null) {
                @SuppressWarnings("unchecked")
                List<LabelSlab> decided = (List<LabelSlab>) done.value();
                windowDone(decided);
            } else if (runningClick == null) {
                wholeVolumeDone((SegmentationResult) done.value());
            } else {
                Click c = runningClick;
                runningClick = null;
                ClickResult cr = (ClickResult) done.value();
                EditHistory.Change ch = history.apply(cr.mask());
                ledger = ledger.with(cr.entry());
                StudyNotice.MaskChanged changed = new StudyNotice.MaskChanged(Ledger.Kind.CLICK, ch.box(), ch.mask());
                c.replyTo().tell(new Ok(changed));
                notice(changed);
            }
            pump();
        } else if (r instanceof EngineScheduler.Failed f) {
            Fault fault = Fault.of(f.error());
            if (runningWindow != null && windowRetries == 0 && fault.category() == Fault.Category.SYSTEM) {
                // an engine failure: the window's state is untouched until its engine calls succeed, so run it again
                getContext().getLog().warn("study {}: window {} failed ({}); retrying it once", settings.studyId(),
                        runningWindow.index(), fault.message());
                windowRetries++;
                runningWindow = null;
                pumpWindows();
                return this;
            }
            runningWindow = null;
            if (runningClick == null) {
                state = State.AUTO_FAILED;
                notice(new StudyNotice.Error("segmentation", fault));
                while (!pendingEdits.isEmpty()) {
                    Command e = pendingEdits.pollFirst();
                    refuse(replyOf(e), editName(e), new Fault(Kind.NOT_READY, "the automatic segmentation failed ("
                            + fault.message() + "); expected endOfSeries again to retry it before edits"));
                }
            } else {
                Click c = runningClick;
                runningClick = null;
                refuse(c.replyTo(), "click", fault);
                pump();
            }
        } else if (r instanceof EngineScheduler.Cancelled) {
            runningClick = null;
            runningWindow = null;
        }
        return this;
    }

    private void autoDone(LabelVolume mask, java.util.Map<Integer, String> classes) {
        history = new EditHistory(mask, settings.historyDepth());
        ledger = new Ledger(List.of(autoEntry()));
        state = State.READY;
        if (stream == null) {
            // a whole-volume segmentation decides every slice at once
            notice(new StudyNotice.SlabReady(0, mask.dims().n2(), mask));
        }
        notice(new StudyNotice.FinalMask(mask, classes));
        pump();
    }

    private Behavior<Command> onGetMask(GetMask m) {
        if (history == null) {
            m.replyTo().tell(new Refused(new Fault(Kind.NOT_READY, "no mask yet (" + state.name().toLowerCase()
                    + "); expected the automatic segmentation to finish first")));
        } else {
            m.replyTo().tell(new Ok(history.current()));
        }
        return this;
    }

    private Behavior<Command> onClose(Close m) {
        device.tell(new EngineScheduler.CancelStudy<>(settings.studyId()));
        clickSessions.close();
        for (Command e : pendingEdits) {
            replyOf(e).tell(new Refused(new Fault(Kind.STUDY_CLOSED, "the study was closed before this "
                    + editName(e) + " was applied")));
        }
        if (runningClick != null) {
            runningClick.replyTo().tell(new Refused(new Fault(Kind.STUDY_CLOSED, "the study was closed during this click")));
        }
        m.replyTo().tell(new Ok(settings.studyId()));
        return Behaviors.stopped();
    }

    private static ActorRef<Outcome> replyOf(Command e) {
        if (e instanceof Click c) {
            return c.replyTo();
        }
        if (e instanceof Undo u) {
            return u.replyTo();
        }
        return ((Redo) e).replyTo();
    }

    private static String editName(Command e) {
        return e instanceof Click ? "click" : e instanceof Undo ? "undo" : "redo";
    }

    private void refuse(ActorRef<Outcome> replyTo, String operation, Fault fault) {
        replyTo.tell(new Refused(fault));
        notice(new StudyNotice.Error(operation, fault));
    }

    private void notice(StudyNotice n) {
        try {
            listener.accept(n);
        } catch (RuntimeException e) {
            getContext().getLog().warn("study {}: listener failed on {}: {}", settings.studyId(),
                    n.getClass().getSimpleName(), e.toString());
        }
    }
}
