package com.edgeseg.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.proto.v1.AcquireEvent;
import com.edgeseg.proto.v1.AcquireRequest;
import com.edgeseg.proto.v1.StudiesGrpc;
import com.edgeseg.volume.LabelVolume;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server under abuse: two clients streaming at once, a client that vanishes mid-series, a slice over the
 * message limit, a stream that goes silent past the idle timeout, more studies than allowed. Each is answered as
 * docs/api.md says, frees what it held, and leaves the server SERVING.
 */
class WireLimitsTest {
    static final CtSeries SERIES = CtSeries.block();
    static EdgeSeg edgeseg;
    static EdgeSegServer server;
    static ManagedChannel channel;
    static LabelVolume batch;

    @BeforeAll
    static void start() {
        batch = SERIES.batch(CtSeries.testPackage(), CtSeries.AUTO);
        edgeseg = EdgeSeg.open(EdgeSegConfig.of(CtSeries.testPackage()));
        server = EdgeSegServer.start(edgeseg, new InetSocketAddress("127.0.0.1", 0), EdgeSegServer.Security.plaintext(),
                new EdgeSegServer.Limits(3, 2, Duration.ofSeconds(2)));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
    }

    @AfterAll
    static void stop() {
        channel.shutdownNow();
        server.close();
        edgeseg.close();
    }

    static void assertServing() {
        assertEquals(HealthCheckResponse.ServingStatus.SERVING,
                HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()).getStatus());
    }

    /** A raw Acquire stream: its events' end (status) and its request side. */
    static final class Raw implements ClientResponseObserver<AcquireRequest, AcquireEvent> {
        final CompletableFuture<Status> ended = new CompletableFuture<>();
        final CompletableFuture<String> opened = new CompletableFuture<>();
        ClientCallStreamObserver<AcquireRequest> requests;

        @Override
        public void beforeStart(ClientCallStreamObserver<AcquireRequest> r) {
            requests = r;
        }

        @Override
        public void onNext(AcquireEvent e) {
            if (e.hasOpened()) {
                opened.complete(e.getOpened().getStudyId());
            }
        }

        @Override
        public void onError(Throwable t) {
            ended.complete(Status.fromThrowable(t));
            opened.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            ended.complete(Status.OK);
        }
    }

    static Raw open() throws Exception {
        Raw raw = new Raw();
        StudiesGrpc.newStub(channel).acquire(raw);
        raw.requests.onNext(AcquireRequest.newBuilder().setHeader(Wire.header(SERIES.header(true))).build());
        return raw;
    }

    @Test
    void twoClientsStreamTwoSeriesAtOnce() throws Exception {
        try (EdgeSegClient a = EdgeSegClient.connect("127.0.0.1", server.port());
             EdgeSegClient b = EdgeSegClient.connect("127.0.0.1", server.port());
             Study sa = a.openStudy(SERIES.header(true), null);
             Study sb = b.openStudy(SERIES.header(true), null)) {
            for (int k : SERIES.order(CtSeries.Order.SCANNER)) {
                sa.addSlice(SERIES.slice(k, true));
            }
            for (int k : SERIES.order(CtSeries.Order.REVERSE)) {
                sb.addSlice(SERIES.slice(k, false));
            }
            CompletableFuture<StudyEvent.FinalMask> fa = sa.endOfSeries().toCompletableFuture();
            CompletableFuture<StudyEvent.FinalMask> fb = sb.endOfSeries().toCompletableFuture();
            CtSeries.assertSame(batch, fa.get(5, TimeUnit.MINUTES).mask(), "client a");
            CtSeries.assertSame(batch, fb.get(5, TimeUnit.MINUTES).mask(), "client b");
        }
        assertServing();
    }

    @Test
    void aClientThatVanishesMidSeriesFreesItsStudy() throws Exception {
        int before = server.openStudies();
        Raw raw = open();
        raw.opened.get(1, TimeUnit.MINUTES);
        raw.requests.onNext(AcquireRequest.newBuilder().setSlice(Wire.slice(SERIES.slice(0, true))).build());
        assertEquals(before + 1, server.openStudies());
        raw.requests.cancel("the console crashed", null);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (server.openStudies() > before && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertEquals(before, server.openStudies(), "the vanished client's study is freed");
        assertServing();
    }

    @Test
    void aSliceOverTheMessageLimitIsResourceExhausted() throws Exception {
        Raw raw = open();
        raw.opened.get(1, TimeUnit.MINUTES);
        byte[] huge = new byte[EdgeSegServer.MAX_SLICE_BYTES + 1024];
        raw.requests.onNext(AcquireRequest.newBuilder().setSlice(com.edgeseg.proto.v1.Slice.newBuilder()
                .setInstanceNumber(1).setFloat32Le(ByteString.copyFrom(huge))).build());
        Status s = raw.ended.get(1, TimeUnit.MINUTES);
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, s.getCode(), s.toString());
        assertTrue(s.getDescription().contains("expected at most"), s.getDescription());
        assertServing();
    }

    @Test
    void aSilentStreamIsGivenUpAfterTheIdleTimeout() throws Exception {
        int before = server.openStudies();
        Raw raw = open();
        raw.opened.get(1, TimeUnit.MINUTES);
        Status s = raw.ended.get(1, TimeUnit.MINUTES);   // 2 s idle timeout in this server
        assertEquals(Status.Code.DEADLINE_EXCEEDED, s.getCode(), s.toString());
        assertTrue(s.getDescription().contains("idle timeout"), s.getDescription());
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (server.openStudies() > before && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertEquals(before, server.openStudies());
        assertServing();
    }

    static Raw open(ManagedChannel on) throws Exception {
        Raw raw = new Raw();
        StudiesGrpc.newStub(on).acquire(raw);
        raw.requests.onNext(AcquireRequest.newBuilder().setHeader(Wire.header(SERIES.header(true))).build());
        return raw;
    }

    @Test
    void moreStudiesThanAllowedAreResourceExhausted() throws Exception {
        List<Raw> held = new java.util.ArrayList<>();
        List<ManagedChannel> channels = new java.util.ArrayList<>();
        try {
            // per client connection: 2; a third on the same connection is refused, another client still gets in
            ManagedChannel first = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
            channels.add(first);
            for (int i = 0; i < 2; i++) {
                Raw r = open(first);
                r.opened.get(1, TimeUnit.MINUTES);
                held.add(r);
            }
            Status mine = open(first).ended.get(1, TimeUnit.MINUTES);
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, mine.getCode(), mine.toString());
            assertTrue(mine.getDescription().contains("per client"), mine.getDescription());
            // in all: 3
            while (server.openStudies() < 3) {
                ManagedChannel other = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
                channels.add(other);
                Raw r = open(other);
                r.opened.get(1, TimeUnit.MINUTES);
                held.add(r);
            }
            ManagedChannel late = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
            channels.add(late);
            Raw extra = open(late);
            Status s = extra.ended.get(1, TimeUnit.MINUTES);
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, s.getCode(), s.toString());
            assertTrue(s.getDescription().contains("expected at most 3"), s.getDescription());
        } finally {
            for (Raw r : held) {
                r.requests.cancel("done", null);
            }
            channels.forEach(ManagedChannel::shutdownNow);
        }
        assertServing();
    }
}
