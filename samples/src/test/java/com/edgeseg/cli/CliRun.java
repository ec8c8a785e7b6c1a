package com.edgeseg.cli;

import com.edgeseg.export.PackageCache;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** One in-process run of the command line, with what it printed; output is echoed so CI logs show the figures. */
record CliRun(int exitCode, String out, String err) {
    static final Path SHARED = Path.of(System.getProperty("edgeseg.shared", "../shared")).toAbsolutePath().normalize();

    /**
     * The package of the reference vectors' width-8 test weights, which carries the full VISTA3D class table.
     * Tests that name VISTA3D classes (lung lobes, liver, ...) pass it with --model, because the shipped default
     * model in models/ has its own (head-and-neck) class table.
     */
    static String referenceModel() {
        return PackageCache.forWeights(SHARED.resolve("vectors/net-w8-a/weights.npz"), System.err).dir().toString();
    }

    static CliRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, o, e);
        }
        CliRun run = new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        System.out.println("$ edgeseg " + String.join(" ", args) + "\n" + run.out + run.err + "exit " + code);
        return run;
    }
}
