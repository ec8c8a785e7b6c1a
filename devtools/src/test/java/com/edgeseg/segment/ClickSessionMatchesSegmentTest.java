package com.edgeseg.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.engine.EngineOptions;
import com.edgeseg.export.PackageCache;
import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.ContinuousIndex;
import com.edgeseg.io.nifti.NiftiReader;
import com.edgeseg.pkg.ModelPackage;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.volume.Volume;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A click session (volume preprocessed once, click windows' encoder outputs cached) gives exactly the masks of
 * one-off {@link Segmenter#segment} calls for a chain of edits, while nearby clicks reuse encoded windows.
 */
class ClickSessionMatchesSegmentTest {
    @Test
    void aChainOfEditsGivesTheSameMasksWithFewerEncoderRuns() throws Exception {
        Path shared = Path.of(System.getProperty("edgeseg.shared"));
        ModelPackage pkg = PackageCache.forWeights(shared.resolve("vectors/net-w8-a/weights.npz"),
                new PrintStream(OutputStream.nullOutputStream()));
        Volume ct = NiftiReader.read(shared.resolve("data/chest-ct/cip-ct-64/ct.nii.gz"));
        double[][] points = {{30, 30, 40}, {32, 31, 40}, {30, 28, 42}, {20, 40, 30}};
        try (Segmenter segmenter = Segmenter.open(pkg, EngineOptions.defaults().withThreads(2), FidelityProfile.product());
             ClickSession session = segmenter.clickSession(ct, 256L << 20)) {
            LabelVolume plain = segmenter.segment(ct, SegmentationRequest.auto(List.of("liver")), ProgressListener.NONE).labels();
            LabelVolume cached = plain;
            for (int i = 0; i < points.length; i++) {
                List<UserClick> click = List.of(new UserClick(new ContinuousIndex(points[i][0], points[i][1], points[i][2]),
                        i % 3 != 2));
                plain = segmenter.segment(ct, edit(click, plain), ProgressListener.NONE).labels();
                cached = session.segment(edit(click, cached), ProgressListener.NONE).labels();
                assertArrayEquals(plain.toArray(), cached.toArray(), "edit " + (i + 1));
            }
            assertEquals(points.length, session.cacheHits() + session.cacheMisses());
            assertTrue(session.cacheHits() > 0, "nearby clicks share an encoded window: hits " + session.cacheHits()
                    + ", misses " + session.cacheMisses());
            assertThrows(IllegalArgumentException.class,
                    () -> session.segment(SegmentationRequest.auto(List.of("liver")), ProgressListener.NONE));
        }
    }

    private static SegmentationRequest edit(List<UserClick> clicks, LabelVolume previous) {
        return new SegmentationRequest(List.of("liver"), clicks, Optional.of(previous));
    }
}
