package com.edgeseg.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** One in-process run of the command line, with what it printed; output is echoed so CI logs show the figures. */
record CliRun(int exitCode, String out, String err) {
    static final Path SHARED = Path.of(System.getProperty("edgeseg.shared", "../shared")).toAbsolutePath().normalize();

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
