package com.edgeseg.cli;

import com.edgeseg.conformance.NetVectorCheck;
import com.edgeseg.conformance.VectorComparison;
import com.edgeseg.engine.EngineOptions;
import com.edgeseg.network.Vista3dNetwork;
import com.edgeseg.pkg.ModelPackage;
import com.edgeseg.export.PackageCache;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code check-vectors DIR... [--threads N]}: exports each net set's weights to a package (cached under
 * packages/), runs the three ONNX engines in ONNX Runtime on the set's inputs and prints the max relative
 * error of every output against MONAI's. Exit 1 when one exceeds the set's ONNX tolerance.
 */
final class CheckVectorsCommand implements Command {
    @Override
    public String name() {
        return "check-vectors";
    }

    @Override
    public String summary() {
        return "check the ONNX engines against reference vectors: check-vectors DIR... [--threads N]";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        List<Path> dirs = new ArrayList<>();
        EngineOptions options = EngineOptions.defaults();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--threads") && i + 1 < args.size()) {
                options = options.withThreads(Args.positiveInt("--threads", args.get(++i)));
            } else if (a.startsWith("-")) {
                err.println("usage: edgeseg " + name() + " DIR... [--threads N]");
                return Main.BAD_INPUT;
            } else {
                dirs.add(Path.of(a));
            }
        }
        if (dirs.isEmpty()) {
            err.println("usage: edgeseg " + name() + " DIR... [--threads N]");
            return Main.BAD_INPUT;
        }
        boolean allPassed = true;
        for (Path dir : dirs) {
            NetVectorCheck check = NetVectorCheck.open(dir);
            if (!check.isNetworkSet()) {
                out.println(check.setName() + ": pipeline set; its calls " + check.callNames()
                        + " are window/merge-level and are checked by ./edgeseg check-pipeline (no network-only call here)");
                continue;
            }
            ModelPackage pkg = PackageCache.forWeights(check.weights(), err);
            out.println(check.setName() + ": package " + pkg.dir() + " (" + pkg.manifest().name() + "), engines "
                    + options.provider() + ", " + options.effectiveThreads() + " threads");
            List<VectorComparison> results;
            long t0 = System.nanoTime();
            try (Vista3dNetwork net = Vista3dNetwork.open(pkg, options)) {
                results = check.run(net);
            }
            double worst = 0;
            int compared = 0;
            boolean passed = true;
            for (VectorComparison r : results) {
                out.println("  " + r.line());
                if (!r.skipped()) {
                    compared++;
                    worst = Math.max(worst, r.maxRelErr());
                    passed &= r.passed();
                }
            }
            out.printf("%s: %d outputs compared, worst max_rel_err %.2e (tol %.0e), %.1f s: %s%n", check.setName(), compared,
                    worst, check.tolerance(), (System.nanoTime() - t0) / 1e9, passed && compared > 0 ? "PASS" : "FAIL");
            allPassed &= passed && compared > 0;
        }
        return allPassed ? Main.OK : Main.CHECK_FAILED;
    }
}
