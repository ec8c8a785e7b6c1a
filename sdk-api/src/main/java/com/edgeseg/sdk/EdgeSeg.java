package com.edgeseg.sdk;

import com.edgeseg.EdgeSegException;
import com.edgeseg.actors.scheduler.EngineScheduler;
import com.edgeseg.actors.study.Fault;
import com.edgeseg.actors.study.Loader;
import com.edgeseg.actors.study.SeriesGrid;
import com.edgeseg.actors.study.SeriesSpec;
import com.edgeseg.actors.study.StudyActor;
import com.edgeseg.engine.EngineException;
import com.edgeseg.engine.EngineOptions;
import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.pkg.ModelPackage;
import com.edgeseg.segment.Segmenter;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.volume.Volume;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;

/**
 * The SDK's entry point: one model package on one device, any number of studies.
 *
 * <pre>{@code
 * try (EdgeSeg edgeseg = EdgeSeg.open(EdgeSegConfig.of(packageDir));
 *      Study study = edgeseg.openStudy(header)) {
 *     for (Slice s : slicesAsTheyCome) {
 *         study.addSlice(s);               // blocks while too many slices wait (backpressure)
 *     }
 *     LabelMap mask = study.endOfSeries().toCompletableFuture().join().mask();
 * }
 * }</pre>
 *
 * Thread-safe. Opening loads the engines (ONNX Runtime sessions); closing closes every study, waits for the job
 * on the device to end and frees the engines.
 */
public final class EdgeSeg implements AutoCloseable {
    private final EdgeSegConfig config;
    private final Segmenter segmenter;
    private final String modelSha256;
    private final ActorSystem<Void> system;
    private final ExecutorService deviceThread;
    private final ActorRef<EngineScheduler.Command<Segmenter>> device;
    private final Set<ActorStudy> studies = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean closed;

    private EdgeSeg(EdgeSegConfig config, Segmenter segmenter, String modelSha256) {
        this.config = config;
        this.segmenter = segmenter;
        this.modelSha256 = modelSha256;
        this.system = ActorSystem.create(Behaviors.empty(), "edgeseg", ConfigFactory.parseString(
                "pekko.log-dead-letters = off\n"
                        + "pekko.log-dead-letters-during-shutdown = off\n"
                        + "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off\n")
                .withFallback(ConfigFactory.load()));
        this.deviceThread = EngineScheduler.deviceThread("cpu0");
        this.device = system.systemActorOf(EngineScheduler.create(segmenter, EngineScheduler.Limits.defaults(),
                deviceThread), "device-cpu0", Props.empty());
    }

    /**
     * Opens the package's engines.
     *
     * @throws InvalidRequestException (BAD_PACKAGE) for a missing, malformed or altered package
     * @throws SystemFaultException (ENGINE_FAILURE) when the engines cannot be opened
     */
    public static EdgeSeg open(EdgeSegConfig config) {
        ModelPackage pkg;
        try {
            pkg = ModelPackage.open(config.modelPackage());
        } catch (EdgeSegException e) {
            throw new InvalidRequestException(Reason.BAD_PACKAGE, e.getMessage());
        }
        FidelityProfile profile = FidelityProfile.named(config.profile().runtimeName());
        Segmenter segmenter;
        try {
            segmenter = Segmenter.open(pkg, EngineOptions.defaults().withThreads(config.engineThreads()), profile);
        } catch (EngineException e) {
            throw new SystemFaultException(Reason.ENGINE_FAILURE, e.getMessage(), e);
        } catch (EdgeSegException e) {
            throw new InvalidRequestException(Reason.BAD_PACKAGE, e.getMessage());
        }
        try {
            return new EdgeSeg(config, segmenter, ModelPackage.sha256(pkg.dir().resolve(ModelPackage.MANIFEST)));
        } catch (RuntimeException e) {
            segmenter.close();
            throw e;
        }
    }

    /** sha256 of the model package's manifest (which lists the sha256 of every engine file). */
    public String modelSha256() {
        return modelSha256;
    }

    /** The model package's folder name. */
    public String modelName() {
        return config.modelPackage().toAbsolutePath().normalize().getFileName().toString();
    }

    /** Class id to name of the model's class table (legacy ids left out). */
    public java.util.Map<Integer, String> classNames() {
        java.util.Map<Integer, String> out = new java.util.TreeMap<>();
        segmenter.classes().entries().forEach((id, e) -> {
            if (!e.legacy()) {
                out.put(id, e.name());
            }
        });
        return out;
    }

    public EdgeSegConfig config() {
        return config;
    }

    /** Opens a study for one series. */
    public Study openStudy(SeriesHeader header) {
        return openStudy(header, null);
    }

    /**
     * Opens a study for one series whose events also go to {@code listener} (may be null).
     *
     * @throws InvalidRequestException (INVALID_HEADER) for a header that cannot describe a series, or
     *         (UNKNOWN_CLASS) for an automatic class the package does not have
     */
    public Study openStudy(SeriesHeader header, StudyListener listener) {
        if (closed) {
            throw new InvalidRequestException(Reason.STUDY_CLOSED, "EdgeSeg is closed; expected an open instance");
        }
        for (String c : header.autoClasses()) {
            if (!knownClass(c)) {
                throw new InvalidRequestException(Reason.UNKNOWN_CLASS, "automatic class '" + c + "' is not in the "
                        + "model's class table; expected a class name or id of the package");
            }
        }
        String id = "study-" + ids.incrementAndGet();
        StudyActor.Settings settings = new StudyActor.Settings(id, Convert.spec(header), header.autoClasses(),
                config.memoryBudgetBytes(), config.maxPendingEdits(), 64, modelSha256, segmenter.profile().name(),
                segmenter.classes());
        ActorStudy study = new ActorStudy(id, system, config, listener, studies::remove);
        // the streaming lattice segments window by window as slices come; the parity lattice needs the whole volume
        StudyActor.StreamPlanner planner = segmenter.profile().lattice() == FidelityProfile.Lattice.STREAMING
                ? segmenter::autoStream : null;
        study.start(system.systemActorOf(StudyActor.create(settings, device, study::onNotice, planner), id,
                Props.empty()));
        studies.add(study);
        return study;
    }

    private boolean knownClass(String c) {
        if (segmenter.classes().byName(c.trim()).isPresent()) {
            return true;
        }
        try {
            return segmenter.classes().byId(Integer.parseInt(c.trim())).isPresent();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Ledger replay: rebuild the volume like a study does, then run every entry as one device job. */
    LabelMap replay(Ledger ledger, SeriesHeader header, Collection<Slice> slices) {
        SeriesSpec spec = Convert.spec(header);
        SeriesGrid grid = new SeriesGrid(spec);
        Loader loader = new Loader(spec, config.memoryBudgetBytes());
        Volume volume;
        try {
            for (Slice s : slices) {
                loader.accept(Convert.slice(s));
            }
            volume = loader.endOfSeries();
        } catch (Fault.StudyFaultException e) {
            throw Convert.error(e.fault());
        }
        com.edgeseg.actors.study.Ledger inner = Convert.ledger(ledger);
        CompletableFuture<Object> done = new CompletableFuture<>();
        ActorRef<EngineScheduler.Reply> replyTo = system.systemActorOf(awaiting(done),
                "replay-" + ids.incrementAndGet(), Props.empty());
        device.tell(new EngineScheduler.Submit<>(new EngineScheduler.Job<>("replay-" + replyTo.path().name(), 1,
                EngineScheduler.Priority.AUTO, "ledger replay", s -> inner.replay(s, modelSha256, volume, grid)), replyTo));
        try {
            LabelVolume mask = (LabelVolume) done.get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return Convert.map(mask, 0, mask.dims().n2());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResourceExhaustedException(Reason.TIMEOUT, "interrupted while replaying the ledger");
        } catch (Exception e) {
            throw Convert.error(e);
        }
    }

    /**
     * One whole volume as one device job in the scheduler's order (the wire's {@code Segment} call): the batch
     * {@link Segmenter#segment}, which runs the same stages as a study.
     */
    com.edgeseg.segment.SegmentationResult segmentWhole(Volume volume, com.edgeseg.segment.SegmentationRequest request) {
        CompletableFuture<Object> done = new CompletableFuture<>();
        ActorRef<EngineScheduler.Reply> replyTo = system.systemActorOf(awaiting(done),
                "segment-" + ids.incrementAndGet(), Props.empty());
        device.tell(new EngineScheduler.Submit<>(new EngineScheduler.Job<>("segment-" + replyTo.path().name(), 1,
                EngineScheduler.Priority.AUTO, "whole volume", s -> s.segment(volume, request,
                com.edgeseg.segment.ProgressListener.NONE)), replyTo));
        try {
            return (com.edgeseg.segment.SegmentationResult) done.get(config.requestTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResourceExhaustedException(Reason.TIMEOUT, "interrupted while segmenting");
        } catch (Exception e) {
            throw Convert.error(e);
        }
    }

    /** Completes {@code done} with the one job's outcome, then stops. */
    private static Behavior<EngineScheduler.Reply> awaiting(CompletableFuture<Object> done) {
        return Behaviors.receive(EngineScheduler.Reply.class)
                .onMessage(EngineScheduler.Queued.class, q -> Behaviors.same())
                .onMessage(EngineScheduler.Completed.class, c -> {
                    done.complete(c.value());
                    return Behaviors.stopped();
                })
                .onMessage(EngineScheduler.Failed.class, f -> {
                    done.completeExceptionally(f.error());
                    return Behaviors.stopped();
                })
                .onMessage(EngineScheduler.Rejected.class, r -> {
                    done.completeExceptionally(new ResourceExhaustedException(Reason.QUEUE_FULL, r.reason()));
                    return Behaviors.stopped();
                })
                .onMessage(EngineScheduler.Cancelled.class, c -> {
                    done.completeExceptionally(new InvalidRequestException(Reason.STUDY_CLOSED, "replay cancelled"));
                    return Behaviors.stopped();
                })
                .build();
    }

    /** Closes every study, stops the pipeline, waits for the job on the device and frees the engines. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ActorStudy s : studies) {
            s.close();
        }
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            deviceThread.shutdownNow();
            // the engines' native sessions must outlive the job that uses them
            deviceThread.awaitTermination(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // terminated or not, the engines are freed below
        } finally {
            segmenter.close();
        }
    }
}
