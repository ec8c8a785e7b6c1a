package com.edgeseg.cli;

import com.edgeseg.engine.EngineOptions;
import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.io.nifti.NiftiReader;
import com.edgeseg.pkg.ModelPackage;
import com.edgeseg.sdk.ClickPoint;
import com.edgeseg.sdk.EdgeSeg;
import com.edgeseg.sdk.EdgeSegConfig;
import com.edgeseg.sdk.LabelMap;
import com.edgeseg.sdk.SeriesHeader;
import com.edgeseg.sdk.Study;
import com.edgeseg.sdk.StudyEvent;
import com.edgeseg.segment.ProgressListener;
import com.edgeseg.segment.SegmentationRequest;
import com.edgeseg.segment.Segmenter;
import com.edgeseg.volume.Volume;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./edgeseg benchmark stream}: the streaming pipeline against a bare loop over the same windows, in one run
 * on one CT: latency of the first slab and of the final mask while a scanner sends at {@code --rate}, the
 * pipeline's overhead at full speed, click-to-MaskDelta with the device idle and with other studies streaming, and
 * peak RSS. Prints numbers; asserts nothing.
 */
final class StreamBenchmark {
    private StreamBenchmark() {}

    static String usage() {
        return "usage: edgeseg benchmark stream [--model DIR] [--input CT.nii.gz] [--rate R] [--clicks N] [--studies S]"
                + " [--threads T]";
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Optional<Options> parsed = Options.parse(args, Set.of("--model", "--input", "--rate", "--clicks", "--studies",
                "--threads"), Set.of(), usage());
        if (parsed.isEmpty()) {
            out.println(usage());
            return Main.OK;
        }
        Options opts = parsed.get();
        double rate = opts.get("--rate", Args::nonNegativeDouble, 20.0);
        int clicks = opts.get("--clicks", Args::positiveInt, 6);
        int studies = opts.get("--studies", Args::positiveInt, 4);
        int threads = opts.get("--threads", Args::positiveInt, 0);
        Setup setup = Setup.of(opts);
        Path modelDir = setup.modelDir();
        Volume ct = setup.ct();
        StreamCommand.ScannerView scanner = setup.scanner();
        SeriesHeader header = setup.header();
        out.printf("input     %s %s, model %s, %d engine threads, scanner rate %s slices/s%n", setup.input().getFileName(),
                ct.dims(), modelDir.getFileName(), threads, rate);

        // 1. the bare loop: the batch Segmenter runs the same stages over the same windows, no actors
        EngineOptions options = threads > 0 ? EngineOptions.defaults().withThreads(threads) : EngineOptions.defaults();
        double bare;
        try (Segmenter s = Segmenter.open(ModelPackage.open(modelDir), options, FidelityProfile.product())) {
            s.segment(ct, SegmentationRequest.auto(List.of()), ProgressListener.NONE); // warm-up
            long t0 = System.nanoTime();
            s.segment(ct, SegmentationRequest.auto(List.of()), ProgressListener.NONE);
            bare = (System.nanoTime() - t0) / 1e9;
        }
        out.printf("batch     segment (bare loop over the windows)            %8.2f s%n", bare);

        try (EdgeSeg edgeseg = EdgeSeg.open(EdgeSegConfig.of(modelDir).withEngineThreads(threads))) {
            // 2. overhead: the whole pipeline at full speed against the bare loop
            Timed full = stream(edgeseg, header, scanner, 0);
            out.printf("stream    full speed, first slice -> final mask          %8.2f s  (overhead %+.1f %% vs batch)%n",
                    full.toFinal(), 100 * (full.toFinal() / bare - 1));
            // 3. a scanner at the given rate
            Timed paced = stream(edgeseg, header, scanner, rate);
            out.printf("stream    at %.0f slices/s: first slice -> first slab mask %8.2f s%n", rate, paced.toFirstSlab());
            out.printf("stream    at %.0f slices/s: last slice -> final mask       %8.2f s  (batch after acquisition: %.2f s)%n",
                    rate, paced.lastToFinal(), bare);
            // 4. clicks with the device idle
            double[] idle = clicks(paced, clicks, null);
            out.printf("clicks    idle device: click -> MaskDelta p50 %.2f s  p95 %.2f s  (%d clicks, no encoder cache)%n",
                    percentile(idle, 50), percentile(idle, 95), idle.length);
            out.printf("memory    peak RSS after one study at a time: %.0f MiB%n", Memory.peakRssMiB());
            paced.study.close();
            // 5. the same clicks while other studies stream at the same rate
            Timed first = stream(edgeseg, header, scanner, 0);
            List<CompletableFuture<Timed>> others = new ArrayList<>();
            double otherRate = rate;
            for (int s = 1; s < studies; s++) {
                others.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return stream(edgeseg, header, scanner, otherRate);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            Thread.sleep(1000); // let the other studies' windows queue up
            double[] busy = clicks(first, clicks, others);
            for (CompletableFuture<Timed> o : others) {
                o.get().study.close();
            }
            first.study.close();
            out.printf("clicks    with %d other studies streaming: p50 %.2f s  p95 %.2f s  (p95 %.2fx idle)%n",
                    studies - 1, percentile(busy, 50), percentile(busy, 95), percentile(busy, 95) / percentile(idle, 95));
            out.printf("memory    peak RSS with %d studies: %.0f MiB (heap max %.0f MiB)%n", studies, Memory.peakRssMiB(),
                    Runtime.getRuntime().maxMemory() / 1048576.0);
        }
        return Main.OK;
    }

    static String clickUsage() {
        return "usage: edgeseg benchmark click [--model DIR] [--input CT.nii.gz] [--clicks N] [--threads T]";
    }

    /**
     * {@code ./edgeseg benchmark click}: one study streamed at full speed to its final mask, then {@code --clicks}
     * positive clicks (one at a time, each in the middle of a structure of the mask, structures in turn) with the
     * device otherwise idle; prints click -> MaskDelta for each and p50/p95.
     */
    static int runClicks(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Optional<Options> parsed = Options.parse(args, Set.of("--model", "--input", "--clicks", "--threads"), Set.of(),
                clickUsage());
        if (parsed.isEmpty()) {
            out.println(clickUsage());
            return Main.OK;
        }
        Options o = parsed.get();
        int clicks = o.get("--clicks", Args::positiveInt, 12);
        int threads = o.get("--threads", Args::positiveInt, 0);
        Setup setup = Setup.of(o);
        com.edgeseg.window.WindowSettings ws = com.edgeseg.window.WindowSettings.fromJson(
                ModelPackage.open(setup.modelDir()).manifest().window());
        out.printf("input     %s %s, model %s, %d engine threads; dense roi %s, click window %s (product)%n",
                setup.input().getFileName(), setup.ct().dims(), setup.modelDir().getFileName(), threads, ws.roi(),
                ws.clickRoi(true));
        try (EdgeSeg edgeseg = EdgeSeg.open(EdgeSegConfig.of(setup.modelDir()).withEngineThreads(threads))) {
            Timed t = stream(edgeseg, setup.header(), setup.scanner(), 0);
            out.printf("study     final mask %.2f s after the first slice%n", t.toFinal());
            double[] d = clicks(t, clicks, null);
            for (int i = 0; i < d.length; i++) {
                out.printf("click %2d  %.3f s%n", i + 1, d[i]);
            }
            out.printf("clicks    click -> MaskDelta p50 %.3f s  p95 %.3f s  (%d clicks, device idle)%n",
                    percentile(d, 50), percentile(d, 95), d.length);
            out.printf("memory    peak RSS %.0f MiB%n", Memory.peakRssMiB());
            t.study().close();
        }
        return Main.OK;
    }

    /**
     * What both benchmarks stream: the CT of {@code --input} (default OpenKBP val pt_201 from ../shared) as a scanner
     * sends it, with its slice plan announced, and the model of {@code --model} (default: the shipped one).
     */
    private record Setup(Path input, Path modelDir, Volume ct, StreamCommand.ScannerView scanner, SeriesHeader header) {
        static Setup of(Options o) {
            Path input = o.path("--input") != null ? o.path("--input")
                    : Path.of(System.getenv().getOrDefault("EDGESEG_ROOT", "."))
                            .resolve("../shared/data/openkbp/val/pt_201/ct.nii.gz").normalize();
            Path modelDir = o.path("--model") != null ? o.path("--model") : DefaultModel.resolve();
            Volume ct = NiftiReader.read(input);
            StreamCommand.ScannerView scanner = new StreamCommand.ScannerView(ct);
            return new Setup(input, modelDir, ct, scanner, scanner.header(List.of(), scanner.plan(false)));
        }
    }

    /** One study streamed to its final mask (left open for clicks). */
    private record Timed(Study study, long t0, long firstSlab, long lastSlice, long finalAt, LabelMap mask) {
        double toFinal() {
            return (finalAt - t0) / 1e9;
        }

        double toFirstSlab() {
            return (firstSlab - t0) / 1e9;
        }

        double lastToFinal() {
            return (finalAt - lastSlice) / 1e9;
        }
    }

    private static Timed stream(EdgeSeg edgeseg, SeriesHeader header, StreamCommand.ScannerView scanner, double rate)
            throws Exception {
        AtomicLong firstSlab = new AtomicLong();
        Study study = edgeseg.openStudy(header, e -> {
            if (e instanceof StudyEvent.SlabMask) {
                firstSlab.compareAndSet(0, System.nanoTime());
            }
        });
        List<CompletableFuture<StudyEvent.Accepted>> accepted = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int k = 0; k < scanner.slices(); k++) {
            if (rate > 0) {
                long wait = t0 + (long) (k / rate * 1e9) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            accepted.add(study.addSlice(scanner.slice(k)).toCompletableFuture());
        }
        for (CompletableFuture<StudyEvent.Accepted> a : accepted) {
            a.get();
        }
        long last = System.nanoTime();
        StudyEvent.FinalMask fin = study.endOfSeries().toCompletableFuture().get();
        return new Timed(study, t0, firstSlab.get(), last, System.nanoTime(), fin.mask());
    }

    /**
     * {@code n} positive clicks, each in the middle of a structure of the final mask (classes in turn); seconds from
     * each click to its MaskDelta. With {@code busyUntil}, stops early once every other study has finished.
     */
    private static double[] clicks(Timed t, int n, List<CompletableFuture<Timed>> busyUntil) throws Exception {
        Map<Integer, int[]> centre = centres(t.mask());
        List<Integer> ids = new ArrayList<>(centre.keySet());
        double[] out = new double[n];
        int done = 0;
        for (int i = 0; i < n && !ids.isEmpty(); i++) {
            if (busyUntil != null && busyUntil.stream().allMatch(CompletableFuture::isDone)) {
                break;
            }
            int id = ids.get(i % ids.size());
            int[] p = centre.get(id);
            long s = System.nanoTime();
            t.study().click(String.valueOf(id), List.of(ClickPoint.positive(p[0], p[1], p[2])))
                    .toCompletableFuture().get();
            out[done++] = (System.nanoTime() - s) / 1e9;
        }
        return Arrays.copyOf(out, done);
    }

    /** For each label present: the (slice, row, column) of its middle voxel in scan order. */
    private static Map<Integer, int[]> centres(LabelMap m) {
        long[] count = new long[256];
        for (byte b : m.toArray()) {
            count[b & 0xFF]++;
        }
        Map<Integer, int[]> out = new java.util.TreeMap<>();
        long[] seen = new long[256];
        for (int k = 0; k < m.slices(); k++) {
            for (int r = 0; r < m.rows(); r++) {
                for (int c = 0; c < m.cols(); c++) {
                    int id = m.label(k, r, c);
                    if (id > 0 && id < 255 && seen[id]++ == count[id] / 2) {
                        out.put(id, new int[] {k, r, c});
                    }
                }
            }
        }
        return out;
    }

    private static double percentile(double[] v, int p) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }
}
