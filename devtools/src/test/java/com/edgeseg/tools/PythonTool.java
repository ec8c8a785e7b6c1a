package com.edgeseg.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a script of tools/vista3d with the Debian python that has torch/onnx/numpy (see notes: not the PATH one). */
final class PythonTool {
    static final String PYTHON = "/usr/bin/python3";

    record Result(int exitCode, String output) {}

    private PythonTool() {}

    static Path root() {
        return Path.of(System.getProperty("edgeseg.root", ".")).toAbsolutePath().normalize();
    }

    static Path shared() {
        return Path.of(System.getProperty("edgeseg.shared", "../shared")).toAbsolutePath().normalize();
    }

    static Path script(String name) {
        return root().resolve("tools").resolve("vista3d").resolve(name);
    }

    /** Runs python with the given arguments, stdout and stderr merged, echoed to this JVM's stdout. */
    static Result run(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(PYTHON);
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + cmd);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        System.out.println("$ " + String.join(" ", cmd) + "\n" + text);
        return new Result(p.exitValue(), text);
    }
}
