package com.edgeseg.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.volume.LabelVolume;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A real CT fed slice by slice through the public SDK, in scanner order, reversed and shuffled, ends with the
 * batch Segmenter's label map voxel for voxel; the events arrive in order on the listener and on the Flow
 * publisher, and the finalised slabs make up the final mask.
 */
class StreamingMatchesBatchTest {
    static final CtSeries SERIES = CtSeries.block();
    static Path pkg;
    static LabelVolume batch;
    static EdgeSeg edgeseg;

    @BeforeAll
    static void open() {
        pkg = CtSeries.testPackage();
        batch = SERIES.batch(pkg, CtSeries.AUTO);
        edgeseg = EdgeSeg.open(EdgeSegConfig.of(pkg));
    }

    @AfterAll
    static void close() {
        edgeseg.close();
    }

    /** Collects a study's events from its Flow publisher. */
    static final class Collector implements Flow.Subscriber<StudyEvent> {
        final List<StudyEvent> events = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> completed = new CompletableFuture<>();

        @Override
        public void onSubscribe(Flow.Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(StudyEvent e) {
            events.add(e);
        }

        @Override
        public void onError(Throwable t) {
            completed.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            completed.complete(null);
        }
    }

    @ParameterizedTest
    @EnumSource(CtSeries.Order.class)
    void anyOrderGivesTheBatchMask(CtSeries.Order order) throws Exception {
        List<StudyEvent> heard = new CopyOnWriteArrayList<>();
        Collector stream = new Collector();
        boolean countKnown = order != CtSeries.Order.SHUFFLED;
        try (Study study = edgeseg.openStudy(SERIES.header(countKnown), heard::add)) {
            study.events().subscribe(stream);
            List<CompletableFuture<StudyEvent.Accepted>> accepted = new ArrayList<>();
            for (int k : SERIES.order(order)) {
                accepted.add(study.addSlice(SERIES.slice(k, order != CtSeries.Order.REVERSE)).toCompletableFuture());
            }
            for (CompletableFuture<StudyEvent.Accepted> a : accepted) {
                a.get(1, TimeUnit.MINUTES);
            }
            assertEquals(SERIES.slices(), accepted.get(accepted.size() - 1).get().received());
            StudyEvent.FinalMask fin = study.endOfSeries().toCompletableFuture().get(5, TimeUnit.MINUTES);
            CtSeries.assertSame(batch, fin.mask(), order + " vs batch");
            CtSeries.assertSame(batch, study.currentMask(), "currentMask");

            List<StudyEvent.SlabMask> slabs = heard.stream().filter(e -> e instanceof StudyEvent.SlabMask)
                    .map(e -> (StudyEvent.SlabMask) e).toList();
            assertTrue(!slabs.isEmpty(), "at least one finalised slab");
            int next = 0;
            for (StudyEvent.SlabMask s : slabs) {
                assertEquals(next, s.sliceFrom(), "slabs tile the series in order");
                for (int k = s.sliceFrom(); k < s.sliceTo(); k++) {
                    assertArrayEquals(fin.mask().slice(k), s.labels().slice(k - s.sliceFrom()));
                }
                next = s.sliceTo();
            }
            assertEquals(SERIES.slices(), next, "the union of the slabs is the whole final mask");
            assertEquals(SERIES.slices(), heard.stream().filter(e -> e instanceof StudyEvent.Accepted).count());
            assertInstanceOf(StudyEvent.FinalMask.class, heard.get(heard.size() - 1));
            assertTrue(heard.stream().anyMatch(e -> e instanceof StudyEvent.Progress p && p.windowsDone() > 0),
                    "window progress is reported");
        }
        stream.completed.get(10, TimeUnit.SECONDS); // closing the study completes its stream
        assertEquals(heard.size(), stream.events.size(), "the publisher saw every event the listener saw");
        assertEquals(heard, stream.events);
    }
}
