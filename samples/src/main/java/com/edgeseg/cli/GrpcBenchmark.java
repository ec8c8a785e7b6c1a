package com.edgeseg.cli;

import com.edgeseg.io.nifti.NiftiReader;
import com.edgeseg.sdk.ClickPoint;
import com.edgeseg.sdk.EdgeSeg;
import com.edgeseg.sdk.EdgeSegClient;
import com.edgeseg.sdk.EdgeSegConfig;
import com.edgeseg.sdk.EdgeSegServer;
import com.edgeseg.sdk.LabelMap;
import com.edgeseg.sdk.SeriesHeader;
import com.edgeseg.sdk.Study;
import com.edgeseg.sdk.StudyEvent;
import com.edgeseg.volume.Volume;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * {@code ./edgeseg benchmark grpc}: the same series streamed in-process and over loopback gRPC in one run, the two
 * alternated: end of series to final mask, click to delta p50/p95, and the bytes a mask costs on the wire against
 * its raw size. Prints numbers; asserts nothing.
 */
final class GrpcBenchmark {
    private GrpcBenchmark() {}

    static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Path model = null;
        Path input = Path.of(System.getenv().getOrDefault("EDGESEG_ROOT", "."))
                .resolve("../shared/data/openkbp/val/pt_201/ct.nii.gz").normalize();
        int clicks = 6;
        int rounds = 2;
        int threads = 0;
        for (int i = 0; i < args.size(); i += 2) {
            String a = args.get(i);
            if (i + 1 >= args.size()) {
                throw new UsageException("option " + a + " needs a value");
            }
            String v = args.get(i + 1);
            switch (a) {
                case "--model" -> model = Path.of(v);
                case "--input" -> input = Path.of(v);
                case "--clicks" -> clicks = Args.positiveInt(a, v);
                case "--rounds" -> rounds = Args.positiveInt(a, v);
                case "--threads" -> threads = Args.positiveInt(a, v);
                default -> throw new UsageException("unknown option " + a
                        + "; expected --model, --input, --clicks, --rounds, --threads");
            }
        }
        Path modelDir = model != null ? model : DefaultModel.resolve();
        Volume ct = NiftiReader.read(input);
        StreamCommand.ScannerView scanner = new StreamCommand.ScannerView(ct);
        SeriesHeader header = scanner.header(List.of(), scanner.plan(false));
        out.printf("input     %s %s, model %s, %d rounds of in-process then gRPC loopback, %d clicks each%n",
                input.getFileName(), ct.dims(), modelDir.getFileName(), rounds, clicks);
        try (EdgeSeg edgeseg = EdgeSeg.open(EdgeSegConfig.of(modelDir).withEngineThreads(threads));
             EdgeSegServer server = EdgeSegServer.start(edgeseg, 0);
             EdgeSegClient client = EdgeSegClient.connect("127.0.0.1", server.port())) {
            List<Double> endLocal = new ArrayList<>();
            List<Double> endWire = new ArrayList<>();
            List<Double> clickLocal = new ArrayList<>();
            List<Double> clickWire = new ArrayList<>();
            LabelMap mask = null;
            for (int r = 0; r < rounds; r++) {
                mask = measure(h -> edgeseg.openStudy(h, null), header, scanner, clicks, endLocal, clickLocal);
                measure(h -> client.openStudy(h, null), header, scanner, clicks, endWire, clickWire);
            }
            out.printf("end of series -> final mask   in-process p50 %.2f s   gRPC p50 %.2f s%n",
                    pct(endLocal, 50), pct(endWire, 50));
            out.printf("click -> delta                in-process p50 %.2f s p95 %.2f s   gRPC p50 %.2f s p95 %.2f s"
                    + "   (gRPC adds %+.1f %% at p50)%n", pct(clickLocal, 50), pct(clickLocal, 95), pct(clickWire, 50),
                    pct(clickWire, 95), 100 * (pct(clickWire, 50) / pct(clickLocal, 50) - 1));
            long raw = (long) mask.slices() * mask.rows() * mask.cols();
            long wire = com.edgeseg.sdk.EdgeSegServer.maskWireBytes(mask);
            out.printf("mask on the wire              %,d bytes run-length coded for %,d raw label bytes (%.2f %%)%n",
                    wire, raw, 100.0 * wire / raw);
        }
        return Main.OK;
    }

    private static LabelMap measure(Function<SeriesHeader, Study> open, SeriesHeader header,
                                    StreamCommand.ScannerView scanner, int clicks, List<Double> ends,
                                    List<Double> clickTimes) throws Exception {
        try (Study study = open.apply(header)) {
            List<CompletableFuture<StudyEvent.Accepted>> accepted = new ArrayList<>();
            for (int k = 0; k < scanner.slices(); k++) {
                accepted.add(study.addSlice(scanner.slice(k)).toCompletableFuture());
            }
            for (CompletableFuture<StudyEvent.Accepted> a : accepted) {
                a.get();
            }
            long t0 = System.nanoTime();
            LabelMap mask = study.endOfSeries().toCompletableFuture().get().mask();
            ends.add((System.nanoTime() - t0) / 1e9);
            int[][] points = centres(mask, clicks);
            for (int[] p : points) {
                long s = System.nanoTime();
                study.click(String.valueOf(p[3]), List.of(ClickPoint.positive(p[0], p[1], p[2])))
                        .toCompletableFuture().get();
                clickTimes.add((System.nanoTime() - s) / 1e9);
            }
            return mask;
        }
    }

    /** Up to {@code n} (slice, row, column, label) points in labelled structures, classes in turn. */
    private static int[][] centres(LabelMap m, int n) {
        List<int[]> found = new ArrayList<>();
        boolean[] seen = new boolean[256];
        for (int k = m.slices() / 2; k < m.slices() && found.size() < n; k++) {
            for (int r = 0; r < m.rows() && found.size() < n; r++) {
                for (int c = 0; c < m.cols() && found.size() < n; c++) {
                    int id = m.label(k, r, c);
                    if (id > 0 && id < 255 && !seen[id]) {
                        seen[id] = true;
                        found.add(new int[] {k, r, c, id});
                    }
                }
            }
        }
        return found.toArray(new int[0][]);
    }

    private static double pct(List<Double> v, int p) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        double[] s = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }
}
