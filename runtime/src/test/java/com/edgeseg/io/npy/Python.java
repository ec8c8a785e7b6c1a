package com.edgeseg.io.npy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a script with the Debian python that has numpy and onnx (tests need it; CI installs it). */
public final class Python {
    public static final String EXE = "/usr/bin/python3";

    private Python() {}

    /** Runs {@code script} in {@code dir} and returns its stdout; fails the test on a non-zero exit. */
    public static String run(Path dir, String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(EXE, "-c", script)).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(120, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), "python failed:\n" + out);
        return out;
    }
}
