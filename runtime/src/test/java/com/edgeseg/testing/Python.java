package com.edgeseg.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a cross-check script with the Debian Python that has numpy/scipy/nibabel ({@code /usr/bin/python3}).
 * Tests that use it are skipped (not failed) on machines without that interpreter or those modules.
 */
public final class Python {
    public static final Path INTERPRETER = Path.of("/usr/bin/python3");

    private Python() {
    }

    /** Skips the calling test unless the interpreter can import every module in {@code modules}. */
    public static void assumeModules(String... modules) {
        assumeTrue(Files.isExecutable(INTERPRETER), "no " + INTERPRETER);
        String imports = "import " + String.join(", ", modules);
        try {
            Result r = run(imports, List.of());
            assumeTrue(r.exitCode == 0, "python modules missing: " + r.stderr);
        } catch (IOException e) {
            assumeTrue(false, "python not runnable: " + e);
        }
    }

    public record Result(int exitCode, String stdout, String stderr) {
    }

    /** Runs {@code script} with {@code args}; returns exit code and output. */
    public static Result run(String script, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(INTERPRETER.toString());
        cmd.add("-c");
        cmd.add(script);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("OMP_NUM_THREADS", "1");
        Path out = Files.createTempFile("py", ".out");
        Path err = Files.createTempFile("py", ".err");
        try {
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            Process p = pb.start();
            try {
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException("python timed out");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs and fails with python's stderr on a non-zero exit. */
    public static String check(String script, List<String> args) throws IOException {
        Result r = run(script, args);
        if (r.exitCode != 0) {
            throw new AssertionError("python failed (" + r.exitCode + "):\n" + r.stderr + "\n" + r.stdout);
        }
        return r.stdout;
    }

    /** The shared data folder (system property edgeseg.shared). */
    public static Path shared() {
        String s = System.getProperty("edgeseg.shared");
        assumeTrue(s != null, "edgeseg.shared not set");
        Path p = Path.of(s);
        assumeTrue(Files.isDirectory(p), "no shared folder at " + p);
        return p;
    }
}
