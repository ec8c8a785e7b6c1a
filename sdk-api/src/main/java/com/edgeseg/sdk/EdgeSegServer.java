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
    /**
     * Largest slice payload the server takes (a 512 x 512 float32 slice is 1 MiB): a bigger one ends its stream with
     * RESOURCE_EXHAUSTED and a message. Messages over {@link #MAX_MESSAGE_BYTES} never reach the service: gRPC resets
     * such a stream (the client sees CANCELLED).
     */
    public static final int MAX_SLICE_BYTES = 16 << 20;
    /** Transport limit per message. */
    public static final int MAX_MESSAGE_BYTES = 64 << 20;

    private final Server server;
    private final HealthStatusManager health = new HealthStatusManager();
    private final Map<String, Study> studies = new ConcurrentHashMap<>();
    /** Which client connection opened each study. */
    private final Map<String, String> owners = new ConcurrentHashMap<>();

    /**
     * Transport security of a server: TLS with {@code certChain}/{@code privateKey} (PEM, PKCS#8 key); with
     * {@code clientCa} also mutual TLS (clients must present a certificate signed by it); with {@code bearerToken}
     * every Studies call must carry {@code authorization: Bearer <token>} (the health service stays open for probes).
     * All null = plaintext, meant for loopback.
     */
    public record Security(java.nio.file.Path certChain, java.nio.file.Path privateKey, java.nio.file.Path clientCa,
                           String bearerToken) {
        public static Security plaintext() {
            return new Security(null, null, null, null);
        }

        public static Security tls(java.nio.file.Path certChain, java.nio.file.Path privateKey) {
            return new Security(certChain, privateKey, null, null);
        }

        public Security withClientCa(java.nio.file.Path ca) {
            return new Security(certChain, privateKey, ca, bearerToken);
        }

        public Security withBearerToken(String token) {
            return new Security(certChain, privateKey, clientCa, token);
        }
    }

    /**
     * What one server allows: open studies at once, in all and per client connection (a new Acquire beyond either
     * is RESOURCE_EXHAUSTED, and harms no other client), and how long an Acquire stream may stay silent before the
     * series is given up (DEADLINE_EXCEEDED, its study freed).
     */
    public record Limits(int maxOpenStudies, int maxStudiesPerClient, java.time.Duration idleTimeout) {
        public static Limits defaults() {
            return new Limits(16, 4, java.time.Duration.ofMinutes(5));
        }
    }

    /** The client connection a call came on (its remote address), for per-client limits. */
    private static final io.grpc.Context.Key<String> CLIENT = io.grpc.Context.key("edgeseg-client");
    /** Open studies per client connection. */
    private final Map<String, Integer> perClient = new ConcurrentHashMap<>();

    private final Limits limits;
    private final java.util.concurrent.ScheduledExecutorService timers =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "edgeseg-grpc-idle");
                t.setDaemon(true);
                return t;
            });

    private EdgeSegServer(EdgeSeg edgeseg, InetSocketAddress address, Security security, Limits limits)
            throws IOException {
        this.limits = limits;
        NettyServerBuilder b = NettyServerBuilder.forAddress(address).maxInboundMessageSize(MAX_MESSAGE_BYTES)
                // long streams stay alive through idle network gear; clients may ping every 30 s
                .keepAliveTime(60, TimeUnit.SECONDS).keepAliveTimeout(20, TimeUnit.SECONDS)
                .permitKeepAliveTime(30, TimeUnit.SECONDS).permitKeepAliveWithoutCalls(true);
        if (security.certChain() != null) {
            var ssl = io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts.forServer(security.certChain().toFile(),
                    security.privateKey().toFile());
            if (security.clientCa() != null) {
                ssl.trustManager(security.clientCa().toFile())
                        .clientAuth(io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth.REQUIRE);
            }
            b.sslContext(ssl.build());
        }
        TokenCheck tokens = new TokenCheck(security.bearerToken());
        io.grpc.ServerInterceptor clientKey = new io.grpc.ServerInterceptor() {
            @Override
            public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call,
                    io.grpc.Metadata headers, io.grpc.ServerCallHandler<Q, R> next) {
                Object addr = call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
                io.grpc.Context ctx = io.grpc.Context.current().withValue(CLIENT, String.valueOf(addr));
                return io.grpc.Contexts.interceptCall(ctx, call, headers, next);
            }
        };
        io.grpc.ServerServiceDefinition studiesService = io.grpc.ServerInterceptors.intercept(
                new StudiesService(edgeseg), tokens, clientKey);
        io.grpc.ServerServiceDefinition segmentService = io.grpc.ServerInterceptors.intercept(
                new WholeVolumeService(edgeseg), tokens);
        this.server = b.addService(studiesService).addService(segmentService)
                .addService(health.getHealthService())
                .addService(ProtoReflectionService.newInstance())
                .build()
                .start();
    }

    /** Serves {@code edgeseg} in plaintext on loopback port {@code port} (0 = any free port). */
    public static EdgeSegServer start(EdgeSeg edgeseg, int port) {
        return start(edgeseg, new InetSocketAddress("127.0.0.1", port));
    }

    public static EdgeSegServer start(EdgeSeg edgeseg, InetSocketAddress address) {
        return start(edgeseg, address, Security.plaintext());
    }

    /**
     * @throws InvalidRequestException (INVALID_CONFIG) for unreadable certificate or key files
     * @throws SystemFaultException when the address cannot be bound
     */
    public static EdgeSegServer start(EdgeSeg edgeseg, InetSocketAddress address, Security security) {
        return start(edgeseg, address, security, Limits.defaults());
    }

    public static EdgeSegServer start(EdgeSeg edgeseg, InetSocketAddress address, Security security, Limits limits) {
        try {
            return new EdgeSegServer(edgeseg, address, security, limits);
        } catch (IllegalArgumentException | javax.net.ssl.SSLException e) {
            throw new InvalidRequestException(Reason.INVALID_CONFIG, "TLS set-up failed (" + e.getMessage()
                    + "); expected PEM certificate chain, PKCS#8 private key and CA files");
        } catch (IOException e) {
            throw new SystemFaultException(Reason.INTERNAL, "cannot listen on " + address + ": " + e.getMessage()
                    + "; expected a free port", e);
        }
    }

    /** {@code authorization: Bearer <token>} on every call: missing = UNAUTHENTICATED, wrong = PERMISSION_DENIED. */
    private static final class TokenCheck implements io.grpc.ServerInterceptor {
        static final io.grpc.Metadata.Key<String> AUTHORIZATION =
                io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER);
        private final byte[] expected;

        TokenCheck(String token) {
            this.expected = token == null ? null : ("Bearer " + token).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call,
                io.grpc.Metadata headers, io.grpc.ServerCallHandler<Q, R> next) {
            if (expected == null) {
                return next.startCall(call, headers);
            }
            String got = headers.get(AUTHORIZATION);
            if (got == null) {
                call.close(Status.UNAUTHENTICATED.withDescription("INVALID_CONFIG: no bearer token; expected the "
                        + "header 'authorization: Bearer <token>'"), new io.grpc.Metadata());
                return new io.grpc.ServerCall.Listener<>() { };
            }
            if (!java.security.MessageDigest.isEqual(expected, got.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                call.close(Status.PERMISSION_DENIED.withDescription("INVALID_CONFIG: the bearer token is not this "
                        + "server's; expected the token it was started with"), new io.grpc.Metadata());
                return new io.grpc.ServerCall.Listener<>() { };
            }
            return next.startCall(call, headers);
        }
    }

    private void release(String studyId) {
        String c = owners.remove(studyId);
        if (c != null) {
            perClient.computeIfPresent(c, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Bytes {@code mask} costs as a run-length {@code MaskSlab} message on the wire. */
    public static long maskWireBytes(LabelMap mask) {
        return Wire.slab(mask, true).getSerializedSize();
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
        timers.shutdownNow();
    }

    private final class StudiesService extends StudiesGrpc.StudiesImplBase {
        private final EdgeSeg edgeseg;

        StudiesService(EdgeSeg edgeseg) {
            this.edgeseg = edgeseg;
        }

        @Override
        public StreamObserver<AcquireRequest> acquire(StreamObserver<AcquireEvent> out) {
            // manual inbound flow control: the next message is read only when the study has room for it, so a
            // scanner faster than the device is held by HTTP/2 flow control instead of filling the server's memory
            io.grpc.stub.ServerCallStreamObserver<AcquireEvent> call = (io.grpc.stub.ServerCallStreamObserver<AcquireEvent>) out;
            call.disableAutoRequest();
            AcquireStream stream = new AcquireStream(edgeseg, out, call);
            call.request(edgeseg.config().maxPendingSlices());
            return stream;
        }

        private Study study(String id) {
            Study s = studies.get(id);
            if (s == null) {
                throw Status.NOT_FOUND.withDescription("STUDY_CLOSED: no open study '" + id
                        + "'; expected the study_id of a StudyOpened event of this server").asRuntimeException();
            }
            return s;
        }

        /** A failed unary call: a status thrown as such passes on, any other failure gets the documented status. */
        private static void refuse(StreamObserver<?> out, RuntimeException e) {
            out.onError(e instanceof io.grpc.StatusRuntimeException ? e : Wire.status(e).asRuntimeException());
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
                refuse(out, e);
            }
        }

        @Override
        public void undo(StudyRef req, StreamObserver<MaskDelta> out) {
            try {
                delta(study(req.getStudyId()).undo().toCompletableFuture(), out);
            } catch (RuntimeException e) {
                refuse(out, e);
            }
        }

        @Override
        public void redo(StudyRef req, StreamObserver<MaskDelta> out) {
            try {
                delta(study(req.getStudyId()).redo().toCompletableFuture(), out);
            } catch (RuntimeException e) {
                refuse(out, e);
            }
        }

        @Override
        public void getMask(StudyRef req, StreamObserver<MaskSlab> out) {
            try {
                out.onNext(Wire.slab(study(req.getStudyId()).currentMask(), true));
                out.onCompleted();
            } catch (RuntimeException e) {
                refuse(out, e);
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
            release(req.getStudyId());
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

    /** {@code edgeseg.v1.Segmentation.Segment}: one whole volume in one message, through the device's queue. */
    private static final class WholeVolumeService extends com.edgeseg.proto.v1.SegmentationGrpc.SegmentationImplBase {
        private final EdgeSeg edgeseg;

        WholeVolumeService(EdgeSeg edgeseg) {
            this.edgeseg = edgeseg;
        }

        @Override
        public void segment(com.edgeseg.proto.v1.SegmentRequest req,
                            StreamObserver<com.edgeseg.proto.v1.SegmentResponse> out) {
            try {
                com.edgeseg.volume.Volume v = Wire.volume(req.getVolume());
                List<com.edgeseg.segment.UserClick> clicks = new ArrayList<>();
                for (var c : req.getClicksList()) {
                    clicks.add(new com.edgeseg.segment.UserClick(
                            new com.edgeseg.geometry.ContinuousIndex(c.getI(), c.getJ(), c.getK()), c.getPositive()));
                }
                var result = edgeseg.segmentWhole(v, new com.edgeseg.segment.SegmentationRequest(
                        List.copyOf(req.getClassesList()), clicks, java.util.Optional.empty()));
                var labels = com.edgeseg.proto.v1.LabelMap.newBuilder()
                        .setGeometry(req.getVolume().getGeometry())
                        .setLabelsUint8(com.google.protobuf.ByteString.copyFrom(result.labels().toArray()));
                var resp = com.edgeseg.proto.v1.SegmentResponse.newBuilder().setLabels(labels);
                result.classes().forEach(resp::putClassNames);
                out.onNext(resp.build());
                out.onCompleted();
            } catch (IllegalArgumentException e) {
                out.onError(Status.INVALID_ARGUMENT.withDescription("BAD_IMAGE: " + e.getMessage()).asRuntimeException());
            } catch (RuntimeException e) {
                out.onError(Wire.status(e).asRuntimeException());
            }
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
        private java.util.concurrent.ScheduledFuture<?> idle;
        /** End of series received: the server is working, the client may be silent until the final mask. */
        private boolean ended;

        private final io.grpc.stub.ServerCallStreamObserver<AcquireEvent> call;
        private final String client;

        AcquireStream(EdgeSeg edgeseg, StreamObserver<AcquireEvent> out,
                      io.grpc.stub.ServerCallStreamObserver<AcquireEvent> call) {
            this.edgeseg = edgeseg;
            this.out = out;
            this.call = call;
            this.client = String.valueOf(CLIENT.get());
            touch();
        }

        /** One message handled (a slice accepted or refused, a header, an end of series): read one more. */
        private void next() {
            try {
                call.request(1);
            } catch (RuntimeException ignored) {
                // the call is already over
            }
        }

        /** Restarts the idle clock: a stream silent for the idle timeout is given up and its study freed. */
        private synchronized void touch() {
            if (idle != null) {
                idle.cancel(false);
            }
            if (!done && !ended) {
                long ms = limits.idleTimeout().toMillis();
                idle = timers.schedule(() -> {
                    fail(Status.DEADLINE_EXCEEDED.withDescription("TIMEOUT: no message on this Acquire stream for "
                            + ms + " ms; expected slices or end of series within the idle timeout"));
                    drop();
                }, ms, TimeUnit.MILLISECONDS);
            }
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
            if (idle != null) {
                idle.cancel(false);
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
            touch();
            try {
                switch (req.getMessageCase()) {
                    case HEADER -> {
                        if (studies.size() >= limits.maxOpenStudies()) {
                            fail(Status.RESOURCE_EXHAUSTED.withDescription("QUEUE_FULL: " + studies.size()
                                    + " studies are open; expected at most " + limits.maxOpenStudies()
                                    + " (close finished studies with CloseStudy)"));
                            return;
                        }
                        if (study != null) {
                            fail(Status.INVALID_ARGUMENT.withDescription("INVALID_HEADER: a second series header on "
                                    + "one stream; expected one header, then slices"));
                            return;
                        }
                        int mine = perClient.getOrDefault(client, 0);
                        if (mine >= limits.maxStudiesPerClient()) {
                            fail(Status.RESOURCE_EXHAUSTED.withDescription("QUEUE_FULL: this client has " + mine
                                    + " open studies; expected at most " + limits.maxStudiesPerClient()
                                    + " per client (close finished studies with CloseStudy)"));
                            return;
                        }
                        SeriesHeader h = Wire.header(req.getHeader());
                        study = edgeseg.openStudy(h, this::forward);
                        rows = h.rows();
                        cols = h.cols();
                        id = "s-" + java.util.UUID.randomUUID();
                        studies.put(id, study);
                        perClient.merge(client, 1, Integer::sum);
                        owners.put(id, client);
                        send(AcquireEvent.newBuilder().setOpened(StudyOpened.newBuilder().setStudyId(id)).build());
                        next();
                    }
                    case SLICE -> {
                        if (study == null) {
                            fail(Status.INVALID_ARGUMENT.withDescription("INVALID_HEADER: a slice before the series "
                                    + "header; expected the header as the first message"));
                            return;
                        }
                        int bytes = req.getSlice().getInt16Le().size() + req.getSlice().getFloat32Le().size();
                        if (bytes > MAX_SLICE_BYTES) {
                            fail(Status.RESOURCE_EXHAUSTED.withDescription("MEMORY_BUDGET: slice "
                                    + req.getSlice().getInstanceNumber() + " carries " + bytes + " bytes of pixels; "
                                    + "expected at most " + MAX_SLICE_BYTES + " (rows x columns of the header)"));
                            drop();
                            return;
                        }
                        Slice s = Wire.slice(req.getSlice(), rows, cols);
                        try {
                            study.addSlice(s).whenComplete((a, err) -> {
                                next();
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
                            next();
                        }
                    }
                    case END_OF_SERIES -> {
                        if (study == null) {
                            fail(Status.INVALID_ARGUMENT.withDescription("INVALID_HEADER: end of series before the "
                                    + "series header; expected the header first"));
                            return;
                        }
                        synchronized (this) {
                            ended = true;
                            if (idle != null) {
                                idle.cancel(false);
                            }
                        }
                        study.endOfSeries().whenComplete((fin, err) -> {
                            if (err != null) {
                                send(Wire.error(err)); // e.g. a slice missing: the series stays open for it
                                synchronized (this) {
                                    ended = false;
                                }
                                touch();
                                next();
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
                if (idle != null) {
                    idle.cancel(false);
                }
            }
            if (id != null && studies.remove(id) != null) {
                release(id);
                study.close();
            }
        }
    }
}
