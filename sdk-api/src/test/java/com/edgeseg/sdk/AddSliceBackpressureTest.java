package com.edgeseg.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.io.nifti.NiftiReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A producer that never waits for its stages (all 128 slices of a real CT as fast as it can) is held by
 * addSlice: at no time are more than the configured number of slices unaccepted, and every slice is accepted.
 */
class AddSliceBackpressureTest {
    static final CtSeries FULL = new CtSeries(NiftiReader.read(CtSeries.CT_FILE));

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void aFastProducerIsHeldAtTheBound(int bound) throws Exception {
        try (EdgeSeg edgeseg = EdgeSeg.open(EdgeSegConfig.of(CtSeries.testPackage()).withMaxPendingSlices(bound));
             Study study = edgeseg.openStudy(FULL.header(true))) {
            ActorStudy s = (ActorStudy) study;
            List<CompletableFuture<StudyEvent.Accepted>> stages = new ArrayList<>();
            int maxPending = 0;
            for (int k = 0; k < FULL.slices(); k++) {
                stages.add(study.addSlice(FULL.slice(k, true)).toCompletableFuture());
                maxPending = Math.max(maxPending, s.pendingSlices());
                assertTrue(s.pendingSlices() <= bound, "unaccepted slices within the bound");
                // held: when addSlice returns, at most `bound` of the slices offered so far are still unaccepted
                // (a slice's slot frees only after its stage completed; stages may complete out of order)
                long open = stages.stream().filter(f -> !f.isDone()).count();
                assertTrue(open <= bound, open + " slices unaccepted when slice " + k + " was taken; bound " + bound);
            }
            for (CompletableFuture<StudyEvent.Accepted> f : stages) {
                f.get(1, TimeUnit.MINUTES);
            }
            assertEquals(FULL.slices(), stages.get(stages.size() - 1).get().received());
            assertTrue(maxPending >= 1 && maxPending <= bound, "pending reached " + maxPending);
        }
    }
}
