package com.edgeseg.cli;

import com.edgeseg.io.nifti.NiftiReader;
import com.edgeseg.pkg.ModelPackage;
import com.edgeseg.sdk.EdgeSeg;
import com.edgeseg.sdk.EdgeSegClient;
import com.edgeseg.sdk.EdgeSegConfig;
import com.edgeseg.sdk.EdgeSegServer;
import com.edgeseg.sdk.InvalidRequestException;
import com.edgeseg.sdk.Study;
import com.edgeseg.sdk.StudyEvent;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.volume.Volume;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * {@code ./edgeseg demo}: the product end to end on one machine. A gRPC server on loopback runs the default model;
 * a scanner simulator (a gRPC client) streams a real CT slice by slice at a scanner's pace and prints the events
 * as they come; the final mask is written as NIfTI, with an overview PNG (axial, coronal, sagittal) beside it.
 */
final class DemoCommand implements Command {
    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "scanner simulator -> gRPC server -> mask + overview PNG: demo [--input CT] [--out DIR] [--rate R]";
    }

    static String usage() {
        return String.join("\n",
                "usage: edgeseg demo [--input CT.nii.gz] [--out DIR] [--rate R] [--model DIR] [--threads T]",
                "  --input CT   default: OpenKBP validation patient pt_201 from ../shared/data",
                "  --out DIR    default: out/demo (seg.nii.gz and overview.png)",
                "  --rate R     slices per second the simulated scanner sends (default 20)");
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Path root = DefaultModel.root();
        Optional<Options> parsed = Options.parse(args, Set.of("--input", "--out", "--rate", "--model", "--threads"),
                Set.of(), usage());
        if (parsed.isEmpty()) {
            out.println(usage());
            return Main.OK;
        }
        Options o = parsed.get();
        Path input = o.get("--input", (n, v) -> Path.of(v),
                root.resolve("../shared/data/openkbp/val/pt_201/ct.nii.gz").normalize());
        Path dir = o.get("--out", (n, v) -> Path.of(v), Path.of("out/demo"));
        Path model = o.path("--model");
        double rate = o.get("--rate", Args::nonNegativeDouble, 20.0);
        int threads = o.get("--threads", Args::positiveInt, 0);
        CommandFiles.requireInput("--input", input);
        Path seg = dir.resolve("seg.nii.gz");
        Path png = dir.resolve("overview.png");
        CommandFiles.requireOutput("--out", seg, input);
        Path modelDir = model != null ? model : DefaultModel.resolve();
        ModelPackage pkg = ModelPackage.open(modelDir);
        Volume ct = NiftiReader.read(input);
        StreamCommand.ScannerView scanner = new StreamCommand.ScannerView(ct);
        try (EdgeSeg edgeseg = EdgeSeg.open(EdgeSegConfig.of(modelDir).withEngineThreads(threads));
             EdgeSegServer server = EdgeSegServer.start(edgeseg, 0);
             EdgeSegClient console = EdgeSegClient.connect("127.0.0.1", server.port())) {
            err.printf("demo: server on 127.0.0.1:%d (model %s); scanner simulator streams %s (%s) at %s slices/s%n",
                    server.port(), modelDir.getFileName(), input.getFileName(), ct.dims(), rate);
            StreamCommand.Run run = new StreamCommand.Run(err);
            StudyEvent.FinalMask fin;
            try (Study study = console.openStudy(scanner.header(List.of(), scanner.plan(false)), run::print)) {
                fin = StreamCommand.feed(study, scanner, scanner.order(StreamCommand.Order.SCANNER), rate, run);
            } catch (ExecutionException e) {
                throw StreamCommand.unwrap(e);
            } catch (InvalidRequestException e) {
                throw new UsageException(e.getMessage());
            }
            LabelVolume labels = scanner.onInputGrid(fin.mask());
            StreamCommand.writeAndReport(seg, labels, fin, run, out);
            OverviewImage.write(png, ct, labels, pkg.manifest().classes());
            out.println("wrote " + png + " (axial, coronal, sagittal through the middle of the scan)");
        }
        return Main.OK;
    }
}
