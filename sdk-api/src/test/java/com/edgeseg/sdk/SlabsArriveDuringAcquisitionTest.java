package com.edgeseg.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.volume.LabelVolume;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A series two windows tall whose header announces its slice plan: the study segments while slices arrive. With
 * every slice but the last one sent, finalised slabs already come (the producer waits for one before it sends the
 * last slice); the slabs tile the final mask exactly; and the final mask equals batch segmentation of the same
 * series stored in acquisition order, voxel for voxel, for a scanner running along the slice normal and against it.
 */
class SlabsArriveDuringAcquisitionTest {
    static final CtSeries SERIES = CtSeries.tall();
    static Path pkg;
    static LabelVolume batchAscending;
    static LabelVolume batchDescending;
    static EdgeSeg edgeseg;

    @BeforeAll
    static void open() {
        pkg = CtSeries.testPackage();
        batchAscending = SERIES.batch(pkg, CtSeries.AUTO);
        // batch on the series stored as a head-down scanner acquires it, mapped back to ascending slice order
        batchDescending = CtSeries.unreversed(CtSeries.batch(pkg, CtSeries.AUTO, SERIES.reversed()),
                SERIES.ct.geometry());
        edgeseg = EdgeSeg.open(EdgeSegConfig.of(pkg));
    }

    @AfterAll
    static void close() {
        edgeseg.close();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void slabsBeforeTheLastSliceAndTheBatchMaskAtTheEnd(boolean descending) throws Exception {
        List<StudyEvent> heard = new CopyOnWriteArrayList<>();
        CompletableFuture<StudyEvent.SlabMask> firstSlab = new CompletableFuture<>();
        int n = SERIES.slices();
        SeriesHeader header = SERIES.header(true).withSlicePlan(SERIES.plan(descending));
        try (Study study = edgeseg.openStudy(header, e -> {
            heard.add(e);
            if (e instanceof StudyEvent.SlabMask s) {
                firstSlab.complete(s);
            }
        })) {
            List<Integer> order = SERIES.order(descending ? CtSeries.Order.REVERSE : CtSeries.Order.SCANNER);
            List<CompletableFuture<StudyEvent.Accepted>> accepted = new ArrayList<>();
            for (int k : order.subList(0, n - 1)) {
                accepted.add(study.addSlice(SERIES.slice(k, true)).toCompletableFuture());
            }
            StudyEvent.SlabMask early = firstSlab.get(5, TimeUnit.MINUTES);
            assertFalse(heard.stream().filter(e -> e instanceof StudyEvent.Accepted).count() >= n,
                    "a slab came before the last slice was sent");
            int lastSlice = order.get(n - 1);
            assertTrue(lastSlice < early.sliceFrom() || lastSlice >= early.sliceTo(),
                    "the early slab does not contain the slice still to come");
            accepted.add(study.addSlice(SERIES.slice(lastSlice, true)).toCompletableFuture());
            for (CompletableFuture<StudyEvent.Accepted> a : accepted) {
                a.get(1, TimeUnit.MINUTES);
            }
            StudyEvent.FinalMask fin = study.endOfSeries().toCompletableFuture().get(5, TimeUnit.MINUTES);
            CtSeries.assertSame(descending ? batchDescending : batchAscending, fin.mask(),
                    (descending ? "descending" : "ascending") + " stream vs batch in acquisition order");

            boolean[] covered = new boolean[n];
            for (StudyEvent e : heard) {
                if (e instanceof StudyEvent.SlabMask s) {
                    assertEquals(s.sliceFrom(), s.labels().firstSlice());
                    for (int k = s.sliceFrom(); k < s.sliceTo(); k++) {
                        assertFalse(covered[k], "slice " + k + " finalised twice");
                        covered[k] = true;
                        assertArrayEquals(fin.mask().slice(k), s.labels().slice(k - s.sliceFrom()),
                                "slab slice " + k + " = final mask");
                    }
                }
            }
            for (int k = 0; k < n; k++) {
                assertTrue(covered[k], "slice " + k + " is in some slab");
            }
        }
    }
}
