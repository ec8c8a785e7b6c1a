package com.edgeseg.sdk;

import com.edgeseg.proto.v1.AcquireEvent;
import com.edgeseg.proto.v1.AcquireRequest;
import com.edgeseg.proto.v1.ClickRequest;
import com.edgeseg.proto.v1.Closed;
import com.edgeseg.proto.v1.ListModelsRequest;
import com.edgeseg.proto.v1.ListModelsResponse;
import com.edgeseg.proto.v1.MaskDelta;
import com.edgeseg.proto.v1.MaskSlab;
import com.edgeseg.proto.v1.ModelInfo;
import com.edgeseg.proto.v1.SliceAccepted;
import com.edgeseg.proto.v1.StudiesGrpc;
import com.edgeseg.proto.v1.StudyOpened;
import com.edgeseg.proto.v1.StudyRef;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The SDK on the wire: the {@code edgeseg.v1.Studies} gRPC service over one {@link EdgeSeg}, plus the standard
 * health service and server reflection. Every call goes to the in-process SDK; nothing is segmented here. A client
 * that vanishes mid-series (stream cancelled or failed) frees its study; a refused slice is an event, not the end
 * of the stream.
 *
 * <pre>{@code
 * try (EdgeSeg edgeseg = EdgeSeg.open(EdgeSegConfig.of(model));
 *      EdgeSegServer server = EdgeSegServer.start(edgeseg, 50051)) {
 *     server.awaitTermination();
 * }
 * }</pre>
 */
public final class EdgeSegServer implements AutoCloseable {
    /** Largest message the server takes (a 512 x 512 float32 slice is 1 MiB). */
    public static final int MAX_MESSAGE_BYTES = 16 << 20;

    private final Server server;
    private final HealthStatusManager health = new HealthStatusManager();
    private final Map<String, Study> studies = new ConcurrentHashMap<>();

    private EdgeSegServer(EdgeSeg edgeseg, InetSocketAddress address) throws IOException {
        this.server = NettyServerBuilder.forAddress(address)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .addService(new StudiesService(edgeseg))
                .addService(health.getHealthService())
                .addService(ProtoReflectionService.newInstance())
                .build()
                .start();
    }

    /** Serves {@code edgeseg} on loopback port {@code port} (0 = any free port). */
    public static EdgeSegServer start(EdgeSeg edgeseg, int port) {
        return start(edgeseg, new InetSocketAddress("127.0.0.1", port));
    }

    public static EdgeSegServer start(EdgeSeg edgeseg, InetSocketAddress address) {
        try {
            return new EdgeSegServer(edgeseg, address);
        } catch (IOException e) {
            throw new SystemFaultException(Reason.INTERNAL, "cannot listen on " + address + ": " + e.getMessage()
                    + "; expected a free port", e);
        }
    }

    public int port() {
        return server.getPort();
    }

    /** Studies open right now (each stream's study until it is closed or its client goes away). */
    public int openStudies() {
        return studies.size();
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public void close() {
        health.enterTerminalState();
        server.shutdown();
        try {
            if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        studies.values().forEach(Study::close);
        studies.clear();
    }

    private final class StudiesService extends StudiesGrpc.StudiesImplBase {
        private final EdgeSeg edgeseg;

        StudiesService(EdgeSeg edgeseg) {
            this.edgeseg = edgeseg;
        }

        @Override
        public StreamObserver<AcquireRequest> acquire(StreamObserver<AcquireEvent> out) {
            return new AcquireStream(edgeseg, out);
        }

        private Study study(String id) {
            Study s = studies.get(id);
            if (s == null) {
                throw Status.NOT_FOUND.withDescription("STUDY_CLOSED: no open study '" + id
                        + "'; expected the study_id of a StudyOpened event of this server").asRuntimeException();
            }
            return s;
        }

        private void delta(CompletableFuture<StudyEvent.MaskDelta> pending, StreamObserver<MaskDelta> out) {
            pending.whenComplete((d, err) -> {
                if (err != null) {
                    out.onError(Wire.status(err).asRuntimeException());
                    return;
                }
                MaskDelta.Builder b = MaskDelta.newBuilder().setKind(d.kind().name()).setChanged(d.box().isPresent());
                d.box().ifPresent(box -> b.setRow0(box.rowFrom()).setCol0(box.colFrom()));
                d.labels().ifPresent(l -> b.setBoxLabels(Wire.slab(l, true)));
                out.onNext(b.build());
                out.onCompleted();
            });
        }

        @Override
        public void click(ClickRequest req, StreamObserver<MaskDelta> out) {
            try {
                List<ClickPoint> points = new ArrayList<>();
                for (var p : req.getPointsList()) {
                    points.add(new ClickPoint(p.getSlice(), p.getRow(), p.getCol(), p.getPositive()));
                }
                delta(study(req.getStudyId()).click(req.getClassName(), points).toCompletableFuture(), out);
            } catch (RuntimeException e) {
                out.onError(e instanceof io.grpc.StatusRuntimeException ? e : Wire.status(e).asRuntimeException());
            }
        }

        @Override
        public void undo(StudyRef req, StreamObserver<MaskDelta> out) {
            try {
                delta(study(req.getStudyId()).undo().toCompletableFuture(), out);
            } catch (RuntimeException e) {
                out.onError(e instanceof io.grpc.StatusRuntimeException ? e : Wire.status(e).asRuntimeException());
            }
        }

        @Override
        public void redo(StudyRef req, StreamObserver<MaskDelta> out) {
            try {
                delta(study(req.getStudyId()).redo().toCompletableFuture(), out);
            } catch (RuntimeException e) {
                out.onError(e instanceof io.grpc.StatusRuntimeException ? e : Wire.status(e).asRuntimeException());
            }
        }

        @Override
        public void getMask(StudyRef req, StreamObserver<MaskSlab> out) {
            try {
                out.onNext(Wire.slab(study(req.getStudyId()).currentMask(), true));
                out.onCompleted();
            } catch (RuntimeException e) {
                out.onError(e instanceof io.grpc.StatusRuntimeException ? e : Wire.status(e).asRuntimeException());
            }
        }

        @Override
        public void listModels(ListModelsRequest req, StreamObserver<ListModelsResponse> out) {
            ModelInfo.Builder m = ModelInfo.newBuilder().setName(edgeseg.modelName()).setSha256(edgeseg.modelSha256());
            edgeseg.classNames().forEach(m::putClasses);
            out.onNext(ListModelsResponse.newBuilder().addModels(m).build());
            out.onCompleted();
        }

        @Override
        public void closeStudy(StudyRef req, StreamObserver<Closed> out) {
            Study s = studies.remove(req.getStudyId());
            if (s == null) {
                out.onError(Status.NOT_FOUND.withDescription("STUDY_CLOSED: no open study '" + req.getStudyId()
                        + "'; expected the study_id of an open study").asRuntimeException());
                return;
            }
            s.close();
            out.onNext(Closed.getDefaultInstance());
            out.onCompleted();
        }
    }

    /** One Acquire stream: the header opens a study, slices go in, end of series ends the stream with the mask. */
    private final class AcquireStream implements StreamObserver<AcquireRequest> {
        private final EdgeSeg edgeseg;
        private final StreamObserver<AcquireEvent> out;
        private Study study;
        private String id;
        private int rows;
        private int cols;
        private boolean done;

        AcquireStream(EdgeSeg edgeseg, StreamObserver<AcquireEvent> out) {
            this.edgeseg = edgeseg;
            this.out = out;
        }

        private synchronized void send(AcquireEvent e) {
            if (!done) {
                out.onNext(e);
            }
        }

        private synchronized void fail(Status s) {
            if (!done) {
                done = true;
                out.onError(s.asRuntimeException());
            }
        }

        private synchronized void finish() {
            if (!done) {
                done = true;
                out.onCompleted();
            }
        }

        /** Study events on the wire; the final mask goes with the end-of-series answer instead. */
        private void forward(StudyEvent e) {
            if (e instanceof StudyEvent.Progress p) {
                send(AcquireEvent.newBuilder().setProgress(com.edgeseg.proto.v1.Progress.newBuilder()
                        .setSlices(p.slicesReceived()).setWindowsDone(p.windowsDone())
                        .setWindowsQueued(p.windowsQueued())).build());
            } else if (e instanceof StudyEvent.SlabMask s) {
                send(AcquireEvent.newBuilder().setSlab(Wire.slab(s.labels(), true)).build());
            }
        }

        @Override
        public void onNext(AcquireRequest req) {
            try {
                switch (req.getMessageCase()) {
                    case HEADER -> {
                        if (study != null) {
                            fail(Status.INVALID_ARGUMENT.withDescription("INVALID_HEADER: a second series header on "
                                    + "one stream; expected one header, then slices"));
                            return;
                        }
                        SeriesHeader h = Wire.header(req.getHeader());
                        study = edgeseg.openStudy(h, this::forward);
                        rows = h.rows();
                        cols = h.cols();
                        id = "s-" + java.util.UUID.randomUUID();
                        studies.put(id, study);
                        send(AcquireEvent.newBuilder().setOpened(StudyOpened.newBuilder().setStudyId(id)).build());
                    }
                    case SLICE -> {
                        if (study == null) {
                            fail(Status.INVALID_ARGUMENT.withDescription("INVALID_HEADER: a slice before the series "
                                    + "header; expected the header as the first message"));
                            return;
                        }
                        Slice s = Wire.slice(req.getSlice(), rows, cols);
                        try {
                            study.addSlice(s).whenComplete((a, err) -> {
                                if (err != null) {
                                    send(Wire.error(err));
                                } else {
                                    send(AcquireEvent.newBuilder().setAccepted(SliceAccepted.newBuilder()
                                            .setInstanceNumber(a.instanceNumber()).setReceived(a.received())
                                            .setExpected(a.expected().orElse(0))).build());
                                }
                            });
                        } catch (StudyException refused) {
                            send(Wire.error(refused));
                        }
                    }
                    case END_OF_SERIES -> {
                        if (study == null) {
                            fail(Status.INVALID_ARGUMENT.withDescription("INVALID_HEADER: end of series before the "
                                    + "series header; expected the header first"));
                            return;
                        }
                        study.endOfSeries().whenComplete((fin, err) -> {
                            if (err != null) {
                                send(Wire.error(err)); // e.g. a slice missing: the series stays open for it
                                return;
                            }
                            com.edgeseg.proto.v1.FinalMask.Builder f = com.edgeseg.proto.v1.FinalMask.newBuilder()
                                    .setMask(Wire.slab(fin.mask(), true));
                            fin.classNames().forEach(f::putClassNames);
                            send(AcquireEvent.newBuilder().setFinalMask(f).build());
                            finish();
                        });
                    }
                    default -> fail(Status.INVALID_ARGUMENT.withDescription("INVALID_HEADER: an empty message; "
                            + "expected a header, a slice or end of series"));
                }
            } catch (StudyException e) {
                fail(Wire.status(e));
            }
        }

        @Override
        public void onError(Throwable t) {
            // the client went away mid-series: free its study
            drop();
        }

        @Override
        public void onCompleted() {
            synchronized (this) {
                if (done) {
                    return;
                }
            }
            if (study == null) {
                finish();
            }
            // otherwise the stream ends with the final mask (or stays for a missing slice until the client cancels)
        }

        private void drop() {
            synchronized (this) {
                done = true;
            }
            if (id != null && studies.remove(id) != null) {
                study.close();
            }
        }
    }
}
