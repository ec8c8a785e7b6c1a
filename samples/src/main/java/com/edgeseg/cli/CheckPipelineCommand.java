package com.edgeseg.cli;

import com.edgeseg.conformance.PipelineVectorCheck;
import com.edgeseg.engine.EngineOptions;
import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.pkg.ModelPackage;
import com.edgeseg.export.PackageCache;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./edgeseg check-pipeline DIR [--product]}: the Java inferers against a pipeline reference set. In parity
 * (default) it fails when logits or labels leave the set's tolerances; with {@code --product} it reports how many
 * label voxels the product profile changes and how many "not computed" voxels remain.
 */
final class CheckPipelineCommand implements Command {
    @Override
    public String name() {
        return "check-pipeline";
    }

    @Override
    public String summary() {
        return "run a pipeline-* reference set through the Java runtime (parity, or --product) and compare";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Path set = null;
        boolean product = false;
        Path dump = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--product")) {
                product = true;
            } else if (a.equals("--dump") && i + 1 < args.size()) {
                dump = Path.of(args.get(++i));
                Files.createDirectories(dump);
            } else if (a.startsWith("-")) {
                throw new UsageException("unknown option " + a + "\nusage: edgeseg check-pipeline DIR [--product] [--dump OUTDIR]");
            } else {
                set = Path.of(a);
            }
        }
        if (set == null || !Files.isRegularFile(set.resolve("manifest.json"))) {
            throw new UsageException("expected a reference set folder with a manifest.json, got " + set
                    + "\nusage: edgeseg check-pipeline DIR [--product] [--dump OUTDIR]");
        }
        Path weights = PipelineVectorCheck.weights(set);
        ModelPackage pkg = PackageCache.forWeights(weights, err);
        FidelityProfile profile = product ? FidelityProfile.product() : FidelityProfile.parity();
        out.println("check-pipeline " + set + " (" + (product ? "product" : "parity") + " profile, package " + pkg.dir()
                + ")");
        List<PipelineVectorCheck.Comparison> results;
        results = PipelineVectorCheck.run(set, pkg, profile, EngineOptions.defaults(), out, dump);
        if (product) {
            long notComputed = results.stream().mapToLong(PipelineVectorCheck.Comparison::notComputed).sum();
            out.println(notComputed == 0 ? "product: no 255 voxels in any label map"
                    : "product: FAIL, " + notComputed + " voxels are 255");
            return notComputed == 0 ? Main.OK : Main.CHECK_FAILED;
        }
        boolean pass = results.stream().allMatch(PipelineVectorCheck.Comparison::pass);
        out.println(pass ? "PASS" : "FAIL");
        return pass ? Main.OK : Main.CHECK_FAILED;
    }
}
