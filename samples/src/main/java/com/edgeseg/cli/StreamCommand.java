package com.edgeseg.cli;

import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.ContinuousIndex;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.WorldPoint;
import com.edgeseg.io.nifti.NiftiReader;
import com.edgeseg.io.nifti.NiftiWriter;
import com.edgeseg.sdk.EdgeSeg;
import com.edgeseg.sdk.EdgeSegConfig;
import com.edgeseg.sdk.InvalidRequestException;
import com.edgeseg.sdk.LabelMap;
import com.edgeseg.sdk.PatientPosition;
import com.edgeseg.sdk.SeriesHeader;
import com.edgeseg.sdk.Slice;
import com.edgeseg.sdk.SlicePlan;
import com.edgeseg.sdk.Study;
import com.edgeseg.sdk.StudyEvent;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.volume.Volume;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./edgeseg stream}: feeds a NIfTI CT to the in-process SDK slice by slice, as a scanner would (axis 2 of the
 * file is the slice axis), prints the study's events as they come and writes the final mask on the input grid.
 */
final class StreamCommand implements Command {
    enum Order { SCANNER, REVERSE, SHUFFLE }

    @Override
    public String name() {
        return "stream";
    }

    @Override
    public String summary() {
        return "feed a CT (NIfTI) slice by slice through the streaming SDK, print events, write the final mask";
    }

    static String usage() {
        return String.join("\n",
                "usage: edgeseg stream --input CT.nii[.gz] --output SEG.nii[.gz] [options]",
                "  --model DIR          model package (default: the shipped one named in models/DEFAULT)",
                "  --rate R             slices per second the 'scanner' sends (default 20; 0 = as fast as accepted)",
                "  --order O            scanner (file order, default) | reverse | shuffle",
                "  --classes LIST       automatic classes, names or ids (default: the package's everything set)",
                "  --no-plan            do not announce the slice plan: the study segments at the end of the series",
                "  --threads N          CPU threads for the engines (default: all cores)");
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Optional<Options> parsed = Options.parse(args, Set.of("--input", "--output", "--model", "--rate", "--order",
                "--classes", "--threads"), Set.of("--no-plan"), usage());
        if (parsed.isEmpty()) {
            out.println(usage());
            return Main.OK;
        }
        Options o = parsed.get();
        Path input = o.path("--input");
        Path output = o.path("--output");
        Path model = o.path("--model");
        double rate = o.get("--rate", Args::nonNegativeDouble, 20.0);
        Order order = o.get("--order", (n, v) -> Args.choice(n, v, Order.class), Order.SCANNER);
        boolean plan = !o.flag("--no-plan");
        List<String> classes = new ArrayList<>();
        for (String v : o.all("--classes")) {
            classes.addAll(Arrays.stream(v.split(",")).map(String::trim).filter(c -> !c.isEmpty()).toList());
        }
        int threads = o.get("--threads", Args::positiveInt, 0);
        if (input == null || output == null) {
            throw new UsageException("--input and --output are required\n" + usage());
        }
        CommandFiles.requireInput("--input", input);
        CommandFiles.requireOutput("--output", output, input);
        Path modelDir = model != null ? model : DefaultModel.resolve();
        Volume ct = NiftiReader.read(input);
        ScannerView scanner = new ScannerView(ct);
        SeriesHeader header = scanner.header(classes, plan ? scanner.plan(order == Order.REVERSE) : null);
        List<Integer> sendOrder = scanner.order(order);
        err.printf("stream: %s %s, %d slices in %s order at %s, slice plan %s%n", input.getFileName(), ct.dims(),
                sendOrder.size(), order.name().toLowerCase(), rate > 0 ? rate + " slices/s" : "full speed",
                plan ? "announced" : "not announced");
        EdgeSegConfig config = EdgeSegConfig.of(modelDir).withEngineThreads(threads);
        try (EdgeSeg edgeseg = EdgeSeg.open(config)) {
            Run run = new Run(err);
            StudyEvent.FinalMask fin;
            try (Study study = edgeseg.openStudy(header, run::print)) {
                fin = feed(study, scanner, sendOrder, rate, run);
            }
            LabelVolume labels = scanner.onInputGrid(fin.mask());
            writeAndReport(output, labels, fin, run, out);
            return Main.OK;
        } catch (ExecutionException e) {
            throw unwrap(e);
        } catch (InvalidRequestException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** Sends the slices in {@code order} at {@code rate} per second (0 = as fast as accepted), then ends the series. */
    static StudyEvent.FinalMask feed(Study study, ScannerView scanner, List<Integer> order, double rate, Run run)
            throws Exception {
        List<CompletableFuture<StudyEvent.Accepted>> accepted = new ArrayList<>();
        run.start();
        for (int i = 0; i < order.size(); i++) {
            if (rate > 0) {
                long wait = run.t0 + (long) (i / rate * 1e9) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            accepted.add(study.addSlice(scanner.slice(order.get(i))).toCompletableFuture());
        }
        for (CompletableFuture<StudyEvent.Accepted> a : accepted) {
            a.get();
        }
        run.lastSlice.set(System.nanoTime());
        StudyEvent.FinalMask fin = study.endOfSeries().toCompletableFuture().get();
        run.finalAt.set(System.nanoTime());
        return fin;
    }

    /** Writes the label map and prints what it holds and how long it took. */
    static void writeAndReport(Path output, LabelVolume labels, StudyEvent.FinalMask fin, Run run, PrintStream out) {
        NiftiWriter.writeLabels(output, labels); // creates missing folders, writes atomically
        out.println("wrote " + output + " " + labels.dims());
        for (Map.Entry<Integer, String> e : fin.classNames().entrySet()) {
            out.printf("  %3d %-28s %,d voxels%n", e.getKey(), e.getValue(), labels.count(e.getKey()));
        }
        out.printf("first slice -> first slab mask  %8.2f s%n", run.seconds(run.firstSlab.get()));
        out.printf("last slice  -> final mask       %8.2f s%n", (run.finalAt.get() - run.lastSlice.get()) / 1e9);
        out.printf("first slice -> final mask       %8.2f s%n", run.seconds(run.finalAt.get()));
    }

    static Exception unwrap(ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof InvalidRequestException bad) {
            return new UsageException(bad.getMessage());
        }
        return c instanceof Exception x ? x : e;
    }

    /** Event lines with the time since the first slice was sent. */
    static final class Run {
        final PrintStream err;
        long t0;
        final AtomicLong firstSlab = new AtomicLong();
        final AtomicLong lastSlice = new AtomicLong();
        final AtomicLong finalAt = new AtomicLong();
        int lastWindows = -1;

        Run(PrintStream err) {
            this.err = err;
        }

        void start() {
            t0 = System.nanoTime();
        }

        double seconds(long at) {
            return at == 0 ? Double.NaN : (at - t0) / 1e9;
        }

        synchronized void print(StudyEvent e) {
            double t = (System.nanoTime() - t0) / 1e9;
            if (e instanceof StudyEvent.Accepted a) {
                int n = a.expected().orElse(-1);
                if (a.received() % 20 == 0 || a.received() == n) {
                    err.printf("%7.2f s  slices %d/%s accepted%n", t, a.received(), n < 0 ? "?" : String.valueOf(n));
                }
            } else if (e instanceof StudyEvent.Progress p) {
                if (p.windowsDone() != lastWindows && p.windowsDone() + p.windowsQueued() > 0) {
                    lastWindows = p.windowsDone();
                    err.printf("%7.2f s  windows %d/%d done%n", t, p.windowsDone(), p.windowsDone() + p.windowsQueued());
                }
            } else if (e instanceof StudyEvent.SlabMask s) {
                firstSlab.compareAndSet(0, System.nanoTime());
                err.printf("%7.2f s  slab mask: slices %d..%d final%n", t, s.sliceFrom(), s.sliceTo() - 1);
            } else if (e instanceof StudyEvent.FinalMask f) {
                err.printf("%7.2f s  final mask: %d slices, labels %s%n", t, f.mask().slices(), f.classNames().keySet());
            } else if (e instanceof StudyEvent.ErrorEvent x) {
                err.printf("%7.2f s  error in %s: %s%n", t, x.operation(), x.error().getMessage());
            }
        }
    }

    /**
     * A NIfTI volume as a scanner's series: axis 2 is the slice axis, pixel (row r, column c) of slice k is voxel
     * (c, r, k); DICOM patient coordinates are NIfTI's RAS with x and y negated.
     */
    static final class ScannerView {
        private final Volume ct;
        private final double[] rowDir = new double[3];
        private final double[] colDir = new double[3];
        private final double colSpacing;
        private final double rowSpacing;
        /** Signed distance along the slice normal from file slice k to k + 1. */
        private final double step;

        ScannerView(Volume ct) {
            this.ct = ct;
            Affine a = ct.geometry().indexToWorld();
            colSpacing = a.columnNorm(0);
            rowSpacing = a.columnNorm(1);
            double[] slice = new double[3];
            for (int r = 0; r < 3; r++) {
                double flip = r < 2 ? -1 : 1;
                rowDir[r] = flip * a.get(r, 0) / colSpacing + 0.0;
                colDir[r] = flip * a.get(r, 1) / rowSpacing + 0.0;
                slice[r] = flip * a.get(r, 2);
            }
            double[] normal = {rowDir[1] * colDir[2] - rowDir[2] * colDir[1], rowDir[2] * colDir[0] - rowDir[0] * colDir[2],
                    rowDir[0] * colDir[1] - rowDir[1] * colDir[0]};
            step = slice[0] * normal[0] + slice[1] * normal[1] + slice[2] * normal[2];
        }

        int slices() {
            return ct.dims().n2();
        }

        SeriesHeader header(List<String> classes, SlicePlan plan) {
            Dims d = ct.dims();
            return new SeriesHeader(OptionalInt.of(d.n2()), d.n1(), d.n0(), rowSpacing, colSpacing, rowDir, colDir, 1, 0,
                    PatientPosition.UNKNOWN, classes, plan);
        }

        /** The announced plan: acquisition from file slice 0 up, or (reverse) from the last slice down. */
        SlicePlan plan(boolean reverse) {
            return new SlicePlan(position(reverse ? slices() - 1 : 0), reverse ? -step : step);
        }

        List<Integer> order(Order order) {
            List<Integer> ks = new ArrayList<>();
            for (int k = 0; k < slices(); k++) {
                ks.add(k);
            }
            if (order == Order.REVERSE) {
                Collections.reverse(ks);
            } else if (order == Order.SHUFFLE) {
                Collections.shuffle(ks, new Random(7));
            }
            return ks;
        }

        double[] position(int k) {
            WorldPoint w = ct.geometry().toWorld(new ContinuousIndex(0, 0, k));
            return new double[] {-w.x() + 0.0, -w.y() + 0.0, w.z()};
        }

        /** File slice k as float32 HU. */
        Slice slice(int k) {
            Dims d = ct.dims();
            int rows = d.n1();
            int cols = d.n0();
            float[] hu = new float[rows * cols];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    hu[r * cols + c] = ct.get(c, r, k);
                }
            }
            return Slice.float32(k + 1, position(k), rows, cols, hu);
        }

        /** The SDK's mask (slices sorted along the normal) on the input file's grid. */
        LabelVolume onInputGrid(LabelMap map) {
            Dims d = ct.dims();
            int n = d.n2();
            int rows = d.n1();
            byte[] out = new byte[d.voxelCount()];
            for (int s = 0; s < n; s++) {
                int k = step > 0 ? s : n - 1 - s;
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < d.n0(); c++) {
                        out[(c * rows + r) * n + k] = (byte) map.label(s, r, c);
                    }
                }
            }
            return LabelVolume.wrap(ct.geometry(), out);
        }
    }
}
