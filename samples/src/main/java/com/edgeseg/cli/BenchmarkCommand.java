package com.edgeseg.cli;

import com.edgeseg.network.ClassScores;
import com.edgeseg.network.EncodedWindow;
import com.edgeseg.engine.EngineOptions;
import com.edgeseg.network.Vista3dNetwork;
import com.edgeseg.geometry.Dims;
import com.edgeseg.pkg.ClassInfo;
import com.edgeseg.pkg.ModelPackage;
import com.edgeseg.export.PackageCache;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * {@code benchmark [--model DIR | --width W] [--threads N] [--windows K] [--size S] [--warmup 0|1] [--arena on|off] [--mem-pattern on|off]}: times the engines on
 * S³ windows (default 128, the bundle's roi): encoder, auto features (auto decoder + post-mapping), scoring the 117
 * "everything" classes on a window's features (what one window of the reference's class head computes; the pipeline
 * scores once per voxel after the blend instead), point head with one object of 3 clicks; prints seconds per window,
 * package size and peak RSS.
 * {@code --width W} exports a random-init (seed 0) package of that width into packages/init-w<W>-seed0-x<exporter hash> once and reuses it.
 */
final class BenchmarkCommand implements Command {
    @Override
    public String name() {
        return "benchmark";
    }

    @Override
    public String summary() {
        return "time encoder/heads per window: benchmark [--model DIR | --width W] [--threads N] [--windows K] [--size S]"
                + " [--warmup 0|1] [--arena on|off] [--mem-pattern on|off]; the streaming pipeline: benchmark stream"
                + " [--rate R] [--studies S] [--clicks N]; clicks on a finished study: benchmark click [--clicks N]; in-process vs gRPC: benchmark grpc [--rounds R] [--clicks N]";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (!args.isEmpty() && args.get(0).equals("stream")) {
            return StreamBenchmark.run(args.subList(1, args.size()), out, err);
        }
        if (!args.isEmpty() && args.get(0).equals("click")) {
            return StreamBenchmark.runClicks(args.subList(1, args.size()), out, err);
        }
        if (!args.isEmpty() && args.get(0).equals("grpc")) {
            return GrpcBenchmark.run(args.subList(1, args.size()), out, err);
        }
        Path model = null;
        int width = 8;
        int windows = 3;
        int size = 128;
        int warmup = 1;
        EngineOptions options = EngineOptions.defaults();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String v = i + 1 < args.size() ? args.get(i + 1) : null;
            if (v == null) {
                err.println("usage: edgeseg " + summary().substring(summary().indexOf(':') + 2));
                return Main.BAD_INPUT;
            }
            i++;
            switch (a) {
                case "--model" -> model = Path.of(v);
                case "--width" -> width = Args.positiveInt(a, v);
                case "--threads" -> options = options.withThreads(Args.positiveInt(a, v));
                case "--windows" -> windows = Args.positiveInt(a, v);
                case "--size" -> size = Args.positiveInt(a, v);
                case "--warmup" -> warmup = v.equals("0") ? 0 : 1;
                case "--arena" -> options = options.withCpuMemoryArena(v.equals("on"));
                case "--mem-pattern" -> options = options.withMemoryPattern(v.equals("on"));
                default -> {
                    err.println("usage: edgeseg " + summary().substring(summary().indexOf(':') + 2));
                    return Main.BAD_INPUT;
                }
            }
        }
        ModelPackage pkg = model != null ? ModelPackage.open(model) : PackageCache.forInitSeed(0, width, err);
        Dims dims = new Dims(size, size, size);
        long[] everything = pkg.manifest().classes().stream().filter(ClassInfo::everything).mapToLong(ClassInfo::id).toArray();
        if (everything.length == 0) {
            everything = java.util.stream.LongStream.rangeClosed(1, 117).toArray();
        }
        float[][][] coords = {{{size / 2f, size / 2f, size / 2f}, {size / 3f, size / 2f, size / 2f}, {size / 2f, size / 4f, size / 3f}}};
        long[][] labels = {{1, 1, 0}};
        out.printf("package   %s (%s, width %d): %.1f MiB%n", pkg.dir(), pkg.manifest().name(), pkg.manifest().width(),
                pkg.sizeBytes() / 1048576.0);
        out.printf("engines   %s, %d intra-op threads, window %s, %d windows (%d warm-up, not averaged), CPU arena %s, memory pattern %s%n",
                options.provider(), options.effectiveThreads(), dims, windows + warmup, warmup,
                options.cpuMemoryArena() ? "on" : "off", options.memoryPattern() ? "on" : "off");
        Random rnd = new Random(0);
        double[] sum = new double[4];
        long t0 = System.nanoTime();
        try (Vista3dNetwork net = Vista3dNetwork.open(pkg, options)) {
            out.printf("open      %.2f s, RSS %.0f MiB%n", (System.nanoTime() - t0) / 1e9, Memory.rssMiB());
            for (int k = 1 - warmup; k <= windows; k++) {
                float[] image = new float[dims.voxelCount()];
                for (int i = 0; i < image.length; i++) {
                    image[i] = rnd.nextFloat();
                }
                double[] t = new double[4];
                long s = System.nanoTime();
                try (EncodedWindow w = net.encode(image, dims)) {
                    t[0] = lap(s);
                    s = System.nanoTime();
                    float[] features = net.autoFeatures(w, null);
                    t[1] = lap(s);
                    s = System.nanoTime();
                    float[][] emb = net.classEmbeddings(everything);
                    ClassScores.logits(features, net.featureChannels(), dims.voxelCount(), emb,
                            new float[everything.length * dims.voxelCount()]);
                    t[2] = lap(s);
                    s = System.nanoTime();
                    net.pointLogits(w, coords, labels, new boolean[] {false});
                    t[3] = lap(s);
                }
                out.printf("window %d  encoder %.3f s  auto_features %.3f s  score %d classes %.3f s  point_head(1x3) %.3f s%s%n",
                        k, t[0], t[1], everything.length, t[2], t[3], k <= 0 ? "  (warm-up)" : "");
                if (k > 0) {
                    for (int j = 0; j < 4; j++) {
                        sum[j] += t[j];
                    }
                }
            }
        }
        out.printf("mean s/window: encoder %.3f  auto_features %.3f  score %d classes %.3f  point_head %.3f%n",
                sum[0] / windows, sum[1] / windows, everything.length, sum[2] / windows, sum[3] / windows);
        out.printf("peak RSS  %.0f MiB (VmHWM of this JVM, heap max %.0f MiB)%n", Memory.peakRssMiB(),
                Runtime.getRuntime().maxMemory() / 1048576.0);
        return Main.OK;
    }

    private static double lap(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
