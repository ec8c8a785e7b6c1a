package com.edgeseg.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.proto.v1.StudiesGrpc;
import com.edgeseg.proto.v1.StudyRef;
import com.edgeseg.volume.LabelVolume;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real gRPC server on loopback over the SDK, and the Java client: a real CT streamed slice by slice gets slab
 * masks before its last slice and a final mask identical to batch segmentation; click, undo and redo come back as
 * deltas that match the server's current mask; bad input gets the documented status and the server stays healthy.
 */
class RemoteStudyOverLoopbackTest {
    static final CtSeries SERIES = CtSeries.tall();
    static LabelVolume batch;
    static EdgeSeg edgeseg;
    static EdgeSegServer server;
    static EdgeSegClient client;

    @BeforeAll
    static void start() {
        batch = SERIES.batch(CtSeries.testPackage(), CtSeries.AUTO);
        edgeseg = EdgeSeg.open(EdgeSegConfig.of(CtSeries.testPackage()));
        server = EdgeSegServer.start(edgeseg, 0);
        client = EdgeSegClient.connect("127.0.0.1", server.port());
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
        edgeseg.close();
    }

    static void assertServing() {
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            assertEquals(HealthCheckResponse.ServingStatus.SERVING, HealthGrpc.newBlockingStub(ch)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus());
        } finally {
            ch.shutdownNow();
        }
    }

    @Test
    void aStreamedSeriesGetsSlabsThenTheBatchMaskAndClicksRoundTrip() throws Exception {
        List<StudyEvent> heard = new CopyOnWriteArrayList<>();
        CompletableFuture<StudyEvent.SlabMask> firstSlab = new CompletableFuture<>();
        int n = SERIES.slices();
        SeriesHeader header = SERIES.header(true).withSlicePlan(SERIES.plan(false));
        try (Study study = client.openStudy(header, e -> {
            heard.add(e);
            if (e instanceof StudyEvent.SlabMask s) {
                firstSlab.complete(s);
            }
        })) {
            List<CompletableFuture<StudyEvent.Accepted>> accepted = new ArrayList<>();
            for (int k = 0; k < n - 1; k++) {
                accepted.add(study.addSlice(SERIES.slice(k, true)).toCompletableFuture());
            }
            StudyEvent.SlabMask early = firstSlab.get(5, TimeUnit.MINUTES);
            assertTrue(early.sliceTo() <= n - 1, "a slab before the last slice was sent");
            accepted.add(study.addSlice(SERIES.slice(n - 1, true)).toCompletableFuture());
            for (CompletableFuture<StudyEvent.Accepted> a : accepted) {
                a.get(1, TimeUnit.MINUTES);
            }
            StudyEvent.FinalMask fin = study.endOfSeries().toCompletableFuture().get(5, TimeUnit.MINUTES);
            CtSeries.assertSame(batch, fin.mask(), "over gRPC vs batch");
            CtSeries.assertSame(batch, study.currentMask(), "GetMask");

            int[] at = CtSeries.labelledVoxel(fin.mask(), 1); // a liver voxel, if the test weights found one
            StudyEvent.MaskDelta clicked = study.click("liver", List.of(ClickPoint.positive(at[0], at[1], at[2])))
                    .toCompletableFuture().get(5, TimeUnit.MINUTES);
            LabelMap afterClick = study.currentMask();
            clicked.box().ifPresent(b -> {
                LabelMap patch = clicked.labels().orElseThrow();
                for (int k = 0; k < b.slices(); k++) {
                    for (int r = 0; r < b.rows(); r++) {
                        for (int c = 0; c < b.cols(); c++) {
                            assertEquals(afterClick.label(b.sliceFrom() + k, b.rowFrom() + r, b.colFrom() + c),
                                    patch.label(k, r, c), "the delta is the mask inside its box");
                        }
                    }
                }
            });
            study.undo().toCompletableFuture().get(1, TimeUnit.MINUTES);
            CtSeries.assertSame(batch, study.currentMask(), "undo restores the automatic mask");
            study.redo().toCompletableFuture().get(1, TimeUnit.MINUTES);
            assertArrayEquals(afterClick.toArray(), study.currentMask().toArray(), "redo restores the click");
            ExecutionException none = assertThrows(ExecutionException.class,
                    () -> study.redo().toCompletableFuture().get(1, TimeUnit.MINUTES));
            assertTrue(none.getCause() instanceof InvalidRequestException e && e.reason() == Reason.NOTHING_TO_REDO,
                    none.getCause().toString());
        }
        assertEquals(0, server.openStudies(), "closing the study freed it on the server");
        assertServing();
    }

    @Test
    void badInputGetsTheDocumentedStatusAndTheServerStaysHealthy() throws Exception {
        SeriesHeader good = SERIES.header(true);
        SeriesHeader noRows = new SeriesHeader(good.expectedSlices(), 0, good.cols(), good.rowSpacingMm(),
                good.colSpacingMm(), good.rowDirection(), good.colDirection(), 1, -1024, PatientPosition.HFS, List.of());
        InvalidRequestException bad = assertThrows(InvalidRequestException.class, () -> client.openStudy(noRows, null));
        assertEquals(Reason.INVALID_HEADER, bad.reason());
        assertTrue(bad.getMessage().contains("expected"), bad.getMessage());

        try (Study study = client.openStudy(good, null)) {
            Slice s0 = SERIES.slice(0, true);
            Slice wrong = Slice.int16(99, s0.imagePositionPatient(), s0.rows(), s0.cols(), new short[7]);
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> study.addSlice(wrong).toCompletableFuture().get(1, TimeUnit.MINUTES));
            assertTrue(refused.getCause() instanceof InvalidRequestException e && e.reason() == Reason.BAD_SLICE,
                    refused.getCause().toString());
            assertEquals(1, study.addSlice(s0).toCompletableFuture().get(1, TimeUnit.MINUTES).received(),
                    "the stream goes on after a refused slice");
        }
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            StatusRuntimeException gone = assertThrows(StatusRuntimeException.class, () -> StudiesGrpc
                    .newBlockingStub(ch).undo(StudyRef.newBuilder().setStudyId("no-such-study").build()));
            assertEquals(Status.Code.NOT_FOUND, gone.getStatus().getCode());
        } finally {
            ch.shutdownNow();
        }
        assertFalse(client.classNames().isEmpty(), "ListModels names the model's classes");
        assertServing();
    }

    @Test
    void theWholeVolumeSegmentCallGivesTheBatchLabels() {
        CtSeries block = CtSeries.block();
        com.edgeseg.volume.Volume v = block.ct;
        var d = v.dims();
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(2 * d.voxelCount()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < d.voxelCount(); i++) {
            buf.putShort((short) Math.round(v.getFlat(i) + 1024));
        }
        var geometry = com.edgeseg.proto.v1.Geometry.newBuilder().addDims(d.n0()).addDims(d.n1()).addDims(d.n2());
        var a = v.geometry().indexToWorld();
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                geometry.addIndexToWorld(a.get(r, c));
            }
        }
        var volume = com.edgeseg.proto.v1.CtVolume.newBuilder().setGeometry(geometry)
                .setVoxelsInt16Le(com.google.protobuf.ByteString.copyFrom(buf.array()))
                .setRescaleSlope(1).setRescaleIntercept(-1024);
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            var stub = com.edgeseg.proto.v1.SegmentationGrpc.newBlockingStub(ch);
            var resp = stub.segment(com.edgeseg.proto.v1.SegmentRequest.newBuilder().setVolume(volume)
                    .addAllClasses(CtSeries.AUTO).build());
            LabelVolume expected = block.batch(CtSeries.testPackage(), CtSeries.AUTO);
            assertArrayEquals(expected.toArray(), resp.getLabels().getLabelsUint8().toByteArray(),
                    "Segment over gRPC = batch Segmenter");
            StatusRuntimeException bad = assertThrows(StatusRuntimeException.class, () -> stub.segment(
                    com.edgeseg.proto.v1.SegmentRequest.newBuilder().setVolume(volume.clone()
                            .setVoxelsInt16Le(com.google.protobuf.ByteString.copyFrom(new byte[10]))).build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
            assertTrue(bad.getStatus().getDescription().contains("expected 2 bytes per voxel"),
                    bad.getStatus().getDescription());
        } finally {
            ch.shutdownNow();
        }
        assertServing();
    }
}
