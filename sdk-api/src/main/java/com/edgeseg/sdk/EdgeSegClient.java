package com.edgeseg.sdk;

import com.edgeseg.proto.v1.AcquireEvent;
import com.edgeseg.proto.v1.AcquireRequest;
import com.edgeseg.proto.v1.ClickRequest;
import com.edgeseg.proto.v1.EndOfSeries;
import com.edgeseg.proto.v1.ListModelsRequest;
import com.edgeseg.proto.v1.MaskDelta;
import com.edgeseg.proto.v1.StudiesGrpc;
import com.edgeseg.proto.v1.StudyRef;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The SDK over gRPC: {@link #openStudy} returns a {@link Study} with the in-process API's shape, so switching
 * from embedded to remote is the line that makes the study. Each study is one {@code Acquire} stream; clicks,
 * undo, redo and the current mask are unary calls on the study id the server sent.
 *
 * <pre>{@code
 * try (EdgeSegClient client = EdgeSegClient.connect("127.0.0.1", 50051);
 *      Study study = client.openStudy(header, event -> console.show(event))) {
 *     ...the same calls as in-process...
 * }
 * }</pre>
 *
 * Not on the wire yet: {@link Study#ledger()} (throws {@link UnsupportedOperationException}).
 */
public final class EdgeSegClient implements AutoCloseable {
    private final ManagedChannel channel;
    private final long timeoutMillis;

    private EdgeSegClient(ManagedChannel channel, long timeoutMillis) {
        this.channel = channel;
        this.timeoutMillis = timeoutMillis;
    }

    /** A plaintext channel to {@code host:port} (loopback or a trusted network). */
    public static EdgeSegClient connect(String host, int port) {
        return new EdgeSegClient(NettyChannelBuilder.forAddress(host, port).usePlaintext()
                .maxInboundMessageSize(EdgeSegServer.MAX_MESSAGE_BYTES).build(), 120_000);
    }

    /**
     * A TLS channel trusting {@code serverCa}; with {@code clientCert}/{@code clientKey} (PEM, PKCS#8) it presents a
     * client certificate (mutual TLS); with {@code bearerToken} every call carries it.
     */
    public static EdgeSegClient connectTls(String host, int port, java.nio.file.Path serverCa, java.nio.file.Path clientCert,
                                           java.nio.file.Path clientKey, String bearerToken) {
        try {
            var ssl = io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts.forClient().trustManager(serverCa.toFile());
            if (clientCert != null) {
                ssl.keyManager(clientCert.toFile(), clientKey.toFile());
            }
            NettyChannelBuilder b = NettyChannelBuilder.forAddress(host, port).sslContext(ssl.build())
                    .maxInboundMessageSize(EdgeSegServer.MAX_MESSAGE_BYTES);
            if (bearerToken != null) {
                io.grpc.Metadata extra = new io.grpc.Metadata();
                extra.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
                        "Bearer " + bearerToken);
                b.intercept(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(extra));
            }
            return new EdgeSegClient(b.build(), 120_000);
        } catch (IllegalArgumentException | javax.net.ssl.SSLException e) {
            throw new InvalidRequestException(Reason.INVALID_CONFIG, "TLS set-up failed (" + e.getMessage()
                    + "); expected PEM CA, certificate and PKCS#8 key files");
        }
    }

    /** Name, manifest sha256 and classes of the server's model. */
    public Map<Integer, String> classNames() {
        try {
            return StudiesGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
                    .listModels(ListModelsRequest.getDefaultInstance()).getModels(0).getClassesMap();
        } catch (RuntimeException e) {
            throw Wire.exception(e);
        }
    }

    /** Opens a study for one series on the server; events also go to {@code listener} (may be null). */
    public Study openStudy(SeriesHeader header, StudyListener listener) {
        RemoteStudy s = new RemoteStudy(listener);
        s.open(header);
        return s;
    }

    @Override
    public void close() {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(10, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private final class RemoteStudy implements Study, StreamObserver<AcquireEvent> {
        private final StudyListener listener;
        private final SubmissionPublisher<StudyEvent> publisher = new SubmissionPublisher<>();
        private final CompletableFuture<String> opened = new CompletableFuture<>();
        /** Slices sent and not yet answered, in order: the server answers each in the order it was sent. */
        private final ArrayDeque<CompletableFuture<StudyEvent.Accepted>> pending = new ArrayDeque<>();
        private final CompletableFuture<StudyEvent.FinalMask> finalMask = new CompletableFuture<>();
        private StreamObserver<AcquireRequest> requests;
        private int rows;
        private int cols;
        private int received;

        RemoteStudy(StudyListener listener) {
            this.listener = listener;
        }

        void open(SeriesHeader header) {
            rows = header.rows();
            cols = header.cols();
            requests = StudiesGrpc.newStub(channel).acquire(this);
            synchronized (this) {
                requests.onNext(AcquireRequest.newBuilder().setHeader(Wire.header(header)).build());
            }
            id(); // fails here with the server's reason for a bad header
        }

        private String id() {
            try {
                return opened.get(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw Wire.exception(e.getCause());
            } catch (TimeoutException e) {
                throw new ResourceExhaustedException(Reason.TIMEOUT, "the server did not open the study in "
                        + timeoutMillis + " ms; expected a reachable server");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ResourceExhaustedException(Reason.TIMEOUT, "interrupted while opening the study");
            }
        }

        private void emit(StudyEvent e) {
            if (listener != null) {
                listener.onEvent(e);
            }
            if (!publisher.isClosed()) {
                publisher.offer(e, (s, dropped) -> false);
            }
        }

        // ---- server -> client
        @Override
        public void onNext(AcquireEvent e) {
            switch (e.getEventCase()) {
                case OPENED -> opened.complete(e.getOpened().getStudyId());
                case ACCEPTED -> {
                    var a = e.getAccepted();
                    received = a.getReceived();
                    StudyEvent.Accepted acc = new StudyEvent.Accepted(a.getInstanceNumber(), Double.NaN,
                            a.getReceived(), a.getExpected() == 0 ? OptionalInt.empty() : OptionalInt.of(a.getExpected()));
                    emit(acc);
                    CompletableFuture<StudyEvent.Accepted> f;
                    synchronized (pending) {
                        f = pending.pollFirst();
                    }
                    if (f != null) {
                        f.complete(acc);
                    }
                }
                case SLICE_ERROR -> {
                    var x = e.getSliceError();
                    StudyException err = Wire.exception(Status.fromCodeValue(x.getCode())
                            .withDescription(x.getReason() + ": " + x.getMessage()).asRuntimeException());
                    emit(new StudyEvent.ErrorEvent("slice", err));
                    CompletableFuture<StudyEvent.Accepted> f = null;
                    synchronized (pending) {
                        if (!pending.isEmpty() && !finalMaskRequested) {
                            f = pending.pollFirst();
                        }
                    }
                    if (f != null) {
                        f.completeExceptionally(err);
                    } else {
                        finalMask.completeExceptionally(err);
                    }
                }
                case PROGRESS -> {
                    var p = e.getProgress();
                    emit(new StudyEvent.Progress(p.getSlices(), OptionalInt.empty(), p.getWindowsDone(),
                            p.getWindowsQueued(), 0));
                }
                case SLAB -> {
                    LabelMap m = Wire.map(e.getSlab());
                    emit(new StudyEvent.SlabMask(m.firstSlice(), m.firstSlice() + m.slices(), m));
                }
                case FINAL_MASK -> {
                    var f = e.getFinalMask();
                    StudyEvent.FinalMask fin = new StudyEvent.FinalMask(Wire.map(f.getMask()), Map.copyOf(f.getClassNamesMap()));
                    emit(fin);
                    finalMask.complete(fin);
                }
                default -> { }
            }
        }

        private volatile boolean finalMaskRequested;

        @Override
        public void onError(Throwable t) {
            StudyException err = Wire.exception(t);
            opened.completeExceptionally(err);
            finalMask.completeExceptionally(err);
            synchronized (pending) {
                pending.forEach(f -> f.completeExceptionally(err));
                pending.clear();
            }
            publisher.close();
        }

        @Override
        public void onCompleted() {
            // the Acquire stream ends with the final mask; the study stays open for clicks until close()
        }

        // ---- the Study API
        @Override
        public CompletionStage<StudyEvent.Accepted> addSlice(Slice slice) {
            CompletableFuture<StudyEvent.Accepted> f = new CompletableFuture<>();
            synchronized (pending) {
                pending.addLast(f);
            }
            synchronized (this) {
                requests.onNext(AcquireRequest.newBuilder().setSlice(Wire.slice(slice)).build());
            }
            return f;
        }

        @Override
        public CompletionStage<StudyEvent.FinalMask> endOfSeries() {
            finalMaskRequested = true;
            synchronized (this) {
                requests.onNext(AcquireRequest.newBuilder().setEndOfSeries(EndOfSeries.getDefaultInstance()).build());
            }
            return finalMask;
        }

        private CompletionStage<StudyEvent.MaskDelta> unary(java.util.function.Function<StudiesGrpc.StudiesBlockingStub,
                MaskDelta> call) {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    MaskDelta d = call.apply(StudiesGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS));
                    StudyEvent.MaskDelta delta = delta(d);
                    emit(delta);
                    return delta;
                } catch (RuntimeException e) {
                    throw Wire.exception(e);
                }
            });
        }

        private StudyEvent.MaskDelta delta(MaskDelta d) {
            StudyEvent.EditKind kind = StudyEvent.EditKind.valueOf(d.getKind());
            if (!d.getChanged()) {
                return new StudyEvent.MaskDelta(kind, Optional.empty(), Optional.empty());
            }
            LabelMap m = Wire.map(d.getBoxLabels());
            Box box = new Box(m.firstSlice(), m.firstSlice() + m.slices(), d.getRow0(), d.getRow0() + m.rows(),
                    d.getCol0(), d.getCol0() + m.cols());
            return new StudyEvent.MaskDelta(kind, Optional.of(box), Optional.of(m));
        }

        @Override
        public CompletionStage<StudyEvent.MaskDelta> click(String classOrName, List<ClickPoint> points) {
            ClickRequest.Builder b = ClickRequest.newBuilder().setStudyId(id()).setClassName(classOrName);
            for (ClickPoint p : points) {
                b.addPoints(com.edgeseg.proto.v1.ClickPoint.newBuilder().setSlice(p.slice()).setRow(p.row())
                        .setCol(p.col()).setPositive(p.positive()));
            }
            ClickRequest req = b.build();
            return unary(s -> s.click(req));
        }

        @Override
        public CompletionStage<StudyEvent.MaskDelta> undo() {
            StudyRef ref = StudyRef.newBuilder().setStudyId(id()).build();
            return unary(s -> s.undo(ref));
        }

        @Override
        public CompletionStage<StudyEvent.MaskDelta> redo() {
            StudyRef ref = StudyRef.newBuilder().setStudyId(id()).build();
            return unary(s -> s.redo(ref));
        }

        @Override
        public LabelMap currentMask() {
            try {
                return Wire.map(StudiesGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
                        .getMask(StudyRef.newBuilder().setStudyId(id()).build()));
            } catch (RuntimeException e) {
                throw Wire.exception(e);
            }
        }

        @Override
        public Ledger ledger() {
            throw new UnsupportedOperationException("the ledger is not on the wire yet; expected the in-process SDK");
        }

        @Override
        public Flow.Publisher<StudyEvent> events() {
            return publisher;
        }

        @Override
        public void close() {
            if (opened.isDone() && !opened.isCompletedExceptionally()) {
                try {
                    StudiesGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
                            .closeStudy(StudyRef.newBuilder().setStudyId(opened.join()).build());
                } catch (RuntimeException ignored) {
                    // already gone on the server: nothing to free
                }
            }
            synchronized (this) {
                try {
                    requests.onCompleted();
                } catch (RuntimeException ignored) {
                    // the stream already ended
                }
            }
            publisher.close();
        }
    }
}
