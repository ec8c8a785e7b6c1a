package com.edgeseg.actors.scheduler;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Owns one device (e.g. a {@link com.edgeseg.segment.Segmenter} and its engine sessions) and runs jobs on it one
 * at a time, on a thread of its own so the actor never blocks. Order: every click job before any automatic job;
 * within a priority, studies take turns (round robin), so a study with many windows cannot starve another.
 *
 * <p>Queues are bounded per study and in total: a job that does not fit is answered {@link Rejected} at once
 * (the backpressure signal; the submitter retries after one of its jobs finished). A job that throws is
 * answered {@link Failed} with the exception; the device and every other job go on.
 *
 * @param <D> the device type the jobs run against
 */
public final class EngineScheduler<D> extends AbstractBehavior<EngineScheduler.Command<D>> {

    /** Click work (interactive) runs before automatic work. */
    public enum Priority { CLICK, AUTO }

    /** What a job does with the device; runs on the device thread, may block, may throw. */
    @FunctionalInterface
    public interface Work<D> {
        Object run(D device) throws Exception;
    }

    /**
     * One unit of device work.
     *
     * @param studyId whose work this is (fairness and cancellation go by study)
     * @param id      the submitter's id, echoed in every reply
     */
    public record Job<D>(String studyId, long id, Priority priority, String label, Work<D> work) {}

    /** Queue sizes: per study and priority, and over all studies. */
    public record Limits(int perStudy, int total) {
        public Limits {
            if (perStudy < 1 || total < 1) {
                throw new IllegalArgumentException("queue limits must be >= 1, got " + perStudy + "/" + total);
            }
        }

        public static Limits defaults() {
            return new Limits(64, 1024);
        }
    }

    /** Messages the scheduler takes. */
    public sealed interface Command<D> permits Submit, CancelStudy, GetStats, Finished {}

    /** Queue {@code job}; {@code replyTo} gets Queued or Rejected now, then Completed/Failed/Cancelled. */
    public record Submit<D>(Job<D> job, ActorRef<Reply> replyTo) implements Command<D> {}

    /** Drops the queued jobs of a study (each answered Cancelled); a running job finishes. */
    public record CancelStudy<D>(String studyId) implements Command<D> {}

    /** Asks for the queue's {@link Stats}. */
    public record GetStats<D>(ActorRef<Stats> replyTo) implements Command<D> {}

    /** The device thread finished a job (internal). */
    record Finished<D>(Entry<D> entry, Object value, Throwable error, long waitNanos, long runNanos) implements Command<D> {}

    /** Answers to a submitter. */
    public sealed interface Reply permits Queued, Rejected, Completed, Failed, Cancelled {
        long jobId();
    }

    /** Accepted; {@code ahead} jobs were queued at a priority at least as high when it arrived. */
    public record Queued(long jobId, int ahead) implements Reply {}

    /** Not accepted: the named queue is full. Nothing was queued. */
    public record Rejected(long jobId, String reason) implements Reply {}

    public record Completed(long jobId, Object value, long waitNanos, long runNanos) implements Reply {}

    public record Failed(long jobId, Throwable error) implements Reply {}

    public record Cancelled(long jobId) implements Reply {}

    /**
     * @param queued        jobs waiting now
     * @param maxQueued     the most jobs ever waiting at once
     * @param running       whether a job is on the device
     * @param completed     jobs finished (completed or failed)
     * @param rejected      submissions refused for a full queue
     */
    public record Stats(int queued, int maxQueued, boolean running, long completed, long rejected) {}

    record Entry<D>(Job<D> job, ActorRef<Reply> replyTo, long queuedAt) {}

    private final D device;
    private final Limits limits;
    private final ExecutorService thread;
    private final boolean ownsThread;
    /** Per priority: study -> its queue; iteration order is the round-robin turn. */
    private final Map<Priority, LinkedHashMap<String, ArrayDeque<Entry<D>>>> queues = new LinkedHashMap<>();
    private int queued;
    private int maxQueued;
    private boolean running;
    private long completed;
    private long rejected;

    /**
     * A scheduler for {@code device} with a device thread of its own, stopped with the actor. The device is not
     * closed by the scheduler (its owner closes it).
     */
    public static <D> Behavior<Command<D>> create(D device, Limits limits, String deviceName) {
        return Behaviors.setup(ctx -> new EngineScheduler<>(ctx, device, limits, deviceThread(deviceName), true));
    }

    /**
     * A scheduler that runs jobs on {@code thread}, which the caller owns: it can wait for a running job to end
     * (shut the executor down, await it) before it closes the device's native resources.
     */
    public static <D> Behavior<Command<D>> create(D device, Limits limits, ExecutorService thread) {
        return Behaviors.setup(ctx -> new EngineScheduler<>(ctx, device, limits, thread, false));
    }

    /** A single daemon thread named for the device: jobs run one at a time, in the order the scheduler picks. */
    public static ExecutorService deviceThread(String deviceName) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "edgeseg-device-" + deviceName);
            t.setDaemon(true);
            return t;
        });
    }

    private EngineScheduler(ActorContext<Command<D>> ctx, D device, Limits limits, ExecutorService thread,
                            boolean ownsThread) {
        super(ctx);
        this.device = device;
        this.limits = limits;
        this.thread = thread;
        this.ownsThread = ownsThread;
        for (Priority p : Priority.values()) {
            queues.put(p, new LinkedHashMap<>());
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Receive<Command<D>> createReceive() {
        return newReceiveBuilder()
                .onMessage(Submit.class, m -> onSubmit((Submit<D>) m))
                .onMessage(CancelStudy.class, m -> onCancel(((CancelStudy<D>) m).studyId()))
                .onMessage(GetStats.class, m -> {
                    ((GetStats<D>) m).replyTo().tell(new Stats(queued, maxQueued, running, completed, rejected));
                    return this;
                })
                .onMessage(Finished.class, m -> onFinished((Finished<D>) m))
                .onSignal(PostStop.class, s -> {
                    if (ownsThread) {
                        thread.shutdownNow();
                    }
                    return this;
                })
                .build();
    }

    private Behavior<Command<D>> onSubmit(Submit<D> m) {
        Job<D> job = m.job();
        ArrayDeque<Entry<D>> existing = queues.get(job.priority()).get(job.studyId());
        if (existing != null && existing.size() >= limits.perStudy()) {
            rejected++;
            m.replyTo().tell(new Rejected(job.id(), "the " + job.priority() + " queue of study " + job.studyId()
                    + " is full (" + limits.perStudy() + " jobs); expected the submitter to wait for one to finish"));
            return this;
        }
        if (queued >= limits.total()) {
            rejected++;
            m.replyTo().tell(new Rejected(job.id(), "the device queue is full (" + limits.total()
                    + " jobs over all studies); expected the submitter to wait for one to finish"));
            return this;
        }
        int ahead = 0;
        for (Priority p : Priority.values()) {
            for (ArrayDeque<Entry<D>> other : queues.get(p).values()) {
                ahead += other.size();
            }
            if (p == job.priority()) {
                break;
            }
        }
        // a study without queued work has no entry, so a study that comes back joins the end of the turn order
        queues.get(job.priority()).computeIfAbsent(job.studyId(), k -> new ArrayDeque<>())
                .addLast(new Entry<>(job, m.replyTo(), System.nanoTime()));
        queued++;
        maxQueued = Math.max(maxQueued, queued);
        m.replyTo().tell(new Queued(job.id(), ahead));
        startNext();
        return this;
    }

    private Behavior<Command<D>> onCancel(String studyId) {
        for (LinkedHashMap<String, ArrayDeque<Entry<D>>> byStudy : queues.values()) {
            ArrayDeque<Entry<D>> q = byStudy.remove(studyId);
            if (q != null) {
                for (Entry<D> e : q) {
                    e.replyTo().tell(new Cancelled(e.job().id()));
                }
                queued -= q.size();
            }
        }
        return this;
    }

    private Behavior<Command<D>> onFinished(Finished<D> m) {
        running = false;
        completed++;
        Entry<D> e = m.entry();
        if (m.error() != null) {
            Throwable cause = m.error() instanceof CompletionException && m.error().getCause() != null
                    ? m.error().getCause() : m.error();
            e.replyTo().tell(new Failed(e.job().id(), cause));
        } else {
            e.replyTo().tell(new Completed(e.job().id(), m.value(), m.waitNanos(), m.runNanos()));
        }
        startNext();
        return this;
    }

    /** Puts the next job on the device if it is idle: highest priority first, studies in turn. */
    private void startNext() {
        if (running) {
            return;
        }
        for (Priority p : Priority.values()) {
            LinkedHashMap<String, ArrayDeque<Entry<D>>> byStudy = queues.get(p);
            Iterator<Map.Entry<String, ArrayDeque<Entry<D>>>> it = byStudy.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, ArrayDeque<Entry<D>>> turn = it.next();
                Entry<D> next = turn.getValue().pollFirst();
                if (next == null) {
                    continue;
                }
                // this study's turn is used: it goes to the back of the line for this priority
                it.remove();
                if (!turn.getValue().isEmpty()) {
                    byStudy.put(turn.getKey(), turn.getValue());
                }
                queued--;
                run(next);
                return;
            }
        }
    }

    private void run(Entry<D> e) {
        running = true;
        long waited = System.nanoTime() - e.queuedAt();
        CompletableFuture<Object> result = CompletableFuture.supplyAsync(() -> {
            try {
                return e.job().work().run(device);
            } catch (RuntimeException ex) {
                throw ex;
            } catch (Exception ex) {
                throw new CompletionException(ex);
            }
        }, thread);
        long start = System.nanoTime();
        getContext().pipeToSelf(result, (value, error) -> new Finished<>(e, value, error, waited, System.nanoTime() - start));
    }
}
