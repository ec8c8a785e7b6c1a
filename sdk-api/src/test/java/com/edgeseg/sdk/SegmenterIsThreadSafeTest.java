package com.edgeseg.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.edgeseg.engine.EngineOptions;
import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.Dims;
import com.edgeseg.io.nifti.NiftiReader;
import com.edgeseg.pkg.ModelPackage;
import com.edgeseg.segment.ProgressListener;
import com.edgeseg.segment.SegmentationRequest;
import com.edgeseg.segment.Segmenter;
import com.edgeseg.volume.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One {@link Segmenter} called from 4 threads at once, each with its own real CT block and classes, gives exactly
 * the labels of sequential calls (the SDK and the gRPC server call the core from many threads).
 */
class SegmenterIsThreadSafeTest {
    @Test
    void fourThreadsGiveTheSequentialLabels() throws Exception {
        Volume ct = NiftiReader.read(CtSeries.CT_FILE);
        List<Volume> volumes = List.of(
                CtSeries.crop(ct, 44, 44, 56, new Dims(28, 28, 16)),
                CtSeries.crop(ct, 60, 40, 40, new Dims(24, 30, 12)),
                CtSeries.crop(ct, 30, 50, 70, new Dims(30, 22, 14)),
                CtSeries.crop(ct, 50, 60, 20, new Dims(20, 20, 20)));
        List<List<String>> classes = List.of(List.of("liver", "spleen"), List.of("liver"), List.of("spleen"),
                List.of("liver", "spleen", "pancreas"));
        try (Segmenter s = Segmenter.open(ModelPackage.open(CtSeries.testPackage()), EngineOptions.defaults().withThreads(1),
                FidelityProfile.product())) {
            List<byte[]> sequential = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                sequential.add(s.segment(volumes.get(i), SegmentationRequest.auto(classes.get(i)),
                        ProgressListener.NONE).labels().toArray());
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<byte[]>> parallel = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    int k = i;
                    parallel.add(pool.submit(() -> {
                        start.await();
                        return s.segment(volumes.get(k), SegmentationRequest.auto(classes.get(k)),
                                ProgressListener.NONE).labels().toArray();
                    }));
                }
                start.countDown();
                for (int i = 0; i < 4; i++) {
                    assertArrayEquals(sequential.get(i), parallel.get(i).get(5, TimeUnit.MINUTES),
                            "thread " + i + " = its sequential run");
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void closeDuringARunWaitsForTheEngineCallAndFailsTheRestCleanly() throws Exception {
        Volume tall = CtSeries.tall().ct;
        Segmenter s = Segmenter.open(ModelPackage.open(CtSeries.testPackage()), EngineOptions.defaults().withThreads(1),
                FidelityProfile.product());
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Object> run = pool.submit(() -> {
                try {
                    return s.segment(tall, SegmentationRequest.auto(List.of("liver")), ProgressListener.NONE);
                } catch (IllegalStateException closed) {
                    return closed;
                }
            });
            Thread.sleep(500); // inside the first window's engine calls
            s.close();
            Object outcome = run.get(5, TimeUnit.MINUTES);
            if (outcome instanceof IllegalStateException e) {
                org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("closed"), e.getMessage());
            }
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> s.segment(tall,
                    SegmentationRequest.auto(List.of("liver")), ProgressListener.NONE), "a closed segmenter refuses");
        } finally {
            pool.shutdownNow();
        }
    }
}
