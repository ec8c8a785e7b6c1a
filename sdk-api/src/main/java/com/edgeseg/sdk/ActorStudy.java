package com.edgeseg.sdk;

import com.edgeseg.actors.study.Loader;
import com.edgeseg.actors.study.SliceInput;
import com.edgeseg.actors.study.StudyActor;
import com.edgeseg.actors.study.StudyNotice;
import com.edgeseg.segment.UserClick;
import com.edgeseg.volume.LabelVolume;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * A {@link Study} backed by a study actor: every call is a message; answers come back as stages. Thread-safe:
 * the actor serialises everything, the slot semaphore bounds unaccepted slices.
 */
final class ActorStudy implements Study {
    private final String id;
    private final ActorSystem<?> system;
    private final Duration timeout;
    private final StudyListener listener;
    private final Consumer<ActorStudy> onClose;
    private final Semaphore sliceSlots;
    private final int maxPendingSlices;
    private final SubmissionPublisher<StudyEvent> publisher = new SubmissionPublisher<>();
    private final AtomicReference<CompletableFuture<StudyEvent.FinalMask>> finalMask = new AtomicReference<>();
    private volatile ActorRef<StudyActor.Command> actor;
    private volatile boolean closed;

    ActorStudy(String id, ActorSystem<?> system, EdgeSegConfig config, StudyListener listener,
               Consumer<ActorStudy> onClose) {
        this.id = id;
        this.system = system;
        this.timeout = config.requestTimeout();
        this.listener = listener;
        this.onClose = onClose;
        this.maxPendingSlices = config.maxPendingSlices();
        this.sliceSlots = new Semaphore(maxPendingSlices);
    }

    void start(ActorRef<StudyActor.Command> actor) {
        this.actor = actor;
    }

    /** Called on the study actor's thread, in order. */
    void onNotice(StudyNotice n) {
        StudyEvent e = Convert.event(n);
        if (e instanceof StudyEvent.FinalMask f) {
            CompletableFuture<StudyEvent.FinalMask> waiting = finalMask.get();
            if (waiting != null) {
                waiting.complete(f);
            }
        } else if (e instanceof StudyEvent.ErrorEvent err && err.operation().equals("segmentation")) {
            CompletableFuture<StudyEvent.FinalMask> waiting = finalMask.get();
            if (waiting != null) {
                waiting.completeExceptionally(err.error());
            }
        }
        if (listener != null) {
            try {
                listener.onEvent(e);
            } catch (RuntimeException ex) {
                // a failing listener must not stop the study; the publisher still gets the event
            }
        }
        // a subscriber more than its buffer behind loses this event rather than stall the study
        publisher.offer(e, (subscriber, dropped) -> false);
    }

    private void checkOpen() {
        if (closed) {
            throw new InvalidRequestException(Reason.STUDY_CLOSED, "study " + id + " is closed; expected an open study");
        }
    }

    private CompletionStage<StudyActor.Outcome> ask(Function<ActorRef<StudyActor.Outcome>, StudyActor.Command> msg) {
        return AskPattern.ask(actor, msg::apply, timeout, system.scheduler());
    }

    /** The Ok value of an outcome, or the typed error of a refusal or failed ask. */
    private static Object value(StudyActor.Outcome o, Throwable err) {
        if (err != null) {
            throw new CompletionException(Convert.error(err));
        }
        if (o instanceof StudyActor.Refused r) {
            throw new CompletionException(Convert.error(r.fault()));
        }
        return ((StudyActor.Ok) o).value();
    }

    @Override
    public CompletionStage<StudyEvent.Accepted> addSlice(Slice slice) {
        checkOpen();
        Objects.requireNonNull(slice, "slice");
        SliceInput in = Convert.slice(slice);
        try {
            if (!sliceSlots.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ResourceExhaustedException(Reason.QUEUE_FULL, maxPendingSlices + " slices of study " + id
                        + " still wait to be accepted after " + timeout + "; expected the study to keep up");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResourceExhaustedException(Reason.TIMEOUT, "interrupted while waiting for room for slice "
                    + slice.instanceNumber());
        }
        CompletableFuture<StudyEvent.Accepted> result = ask(r -> new StudyActor.AddSlice(in, r))
                .handle((o, err) -> Convert.accepted((Loader.Placed) value(o, err))).toCompletableFuture();
        // the slot frees only after the caller's stage completed: a held producer sees its earlier slices done
        result.whenComplete((v, e) -> sliceSlots.release());
        return result;
    }

    /** Unaccepted slices right now (what the backpressure bounds). */
    int pendingSlices() {
        return maxPendingSlices - sliceSlots.availablePermits();
    }

    @Override
    public CompletionStage<StudyEvent.FinalMask> endOfSeries() {
        checkOpen();
        CompletableFuture<StudyEvent.FinalMask> result = new CompletableFuture<>();
        CompletableFuture<StudyEvent.FinalMask> earlier = finalMask.get();
        if (earlier != null && !earlier.isDone()) {
            return earlier; // the segmentation already asked for is still running: the same answer
        }
        if (!finalMask.compareAndSet(earlier, result)) {
            return finalMask.get(); // another thread ended the series at the same moment
        }
        ask(StudyActor.EndOfSeries::new).whenComplete((o, err) -> {
            try {
                value(o, err);
            } catch (CompletionException e) {
                result.completeExceptionally(e.getCause());
            }
        });
        return result;
    }

    @Override
    public CompletionStage<StudyEvent.MaskDelta> click(String classOrName, List<ClickPoint> points) {
        checkOpen();
        List<UserClick> clicks = List.copyOf(points).stream().map(Convert::click).toList();
        return edit(r -> new StudyActor.Click(classOrName, clicks, r));
    }

    @Override
    public CompletionStage<StudyEvent.MaskDelta> undo() {
        checkOpen();
        return edit(StudyActor.Undo::new);
    }

    @Override
    public CompletionStage<StudyEvent.MaskDelta> redo() {
        checkOpen();
        return edit(StudyActor.Redo::new);
    }

    private CompletionStage<StudyEvent.MaskDelta> edit(Function<ActorRef<StudyActor.Outcome>, StudyActor.Command> msg) {
        return ask(msg).handle((o, err) -> Convert.delta((StudyNotice.MaskChanged) value(o, err)));
    }

    @Override
    public LabelMap currentMask() {
        checkOpen();
        LabelVolume m = (LabelVolume) join(ask(StudyActor.GetMask::new).handle(ActorStudy::value));
        return Convert.map(m, 0, m.dims().n2());
    }

    @Override
    public Ledger ledger() {
        checkOpen();
        return Convert.ledger(join(AskPattern.<StudyActor.Command, com.edgeseg.actors.study.Ledger>ask(actor,
                StudyActor.GetLedger::new, timeout, system.scheduler())));
    }

    private static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            throw Convert.error(e);
        }
    }

    @Override
    public Flow.Publisher<StudyEvent> events() {
        return publisher;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            ask(StudyActor.Close::new).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the actor is gone or the system is shutting down: nothing is left to free
        }
        CompletableFuture<StudyEvent.FinalMask> waiting = finalMask.get();
        if (waiting != null) {
            waiting.completeExceptionally(new InvalidRequestException(Reason.STUDY_CLOSED, "study " + id
                    + " was closed before its segmentation finished"));
        }
        publisher.close();
        onClose.accept(this);
    }
}
