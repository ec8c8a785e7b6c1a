package com.edgeseg.export;

import com.edgeseg.pkg.ModelPackage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes model packages by running the project's exporter, {@code /usr/bin/python3 <root>/tools/vista3d/export.py}
 * (PyTorch rewrite of the network -> three ONNX engines + manifest). The root is the system property
 * {@code edgeseg.root}, else the environment variable {@code EDGESEG_ROOT}. The exporter's progress lines are
 * passed on as they come; the package is verified with {@link ModelPackage#open} before it is returned.
 */
public final class PackageExporter {
    /** The Debian interpreter that has torch, onnx and numpy. */
    public static final String PYTHON = "/usr/bin/python3";

    private PackageExporter() {}

    /** Exports trained or reference weights ({@code .npz} of MONAI state_dict keys, or {@code .pt}) into {@code outDir}. */
    public static ModelPackage exportWeights(Path weights, Path outDir, PrintStream progress) {
        if (!Files.isRegularFile(weights)) {
            throw new PackageExportException(weights + ": no such weights file");
        }
        return export(List.of("--weights", weights.toAbsolutePath().toString()), outDir, progress);
    }

    /** Exports a randomly initialised network of the given width (benchmarks, tests; not a trained model). */
    public static ModelPackage exportInitSeed(int seed, int width, Path outDir, PrintStream progress) {
        if (width <= 0 || width % 8 != 0) {
            throw new PackageExportException("width must be a positive multiple of 8, got " + width);
        }
        return export(List.of("--init-seed", Integer.toString(seed), "--width", Integer.toString(width)), outDir, progress);
    }

    private static ModelPackage export(List<String> source, Path outDir, PrintStream progress) {
        Path script = root().resolve("tools/vista3d/export.py");
        if (!Files.isRegularFile(script)) {
            throw new PackageExportException("exporter not found: " + script);
        }
        List<String> cmd = new ArrayList<>(List.of(PYTHON, script.toString()));
        cmd.addAll(source);
        cmd.addAll(List.of("--out", outDir.toAbsolutePath().toString()));
        List<String> tail = new ArrayList<>();
        int rc;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    progress.println("export: " + line);
                    tail.add(line);
                    if (tail.size() > 20) {
                        tail.remove(0);
                    }
                }
            }
            rc = p.waitFor();
        } catch (IOException e) {
            throw new PackageExportException("cannot run " + PYTHON + " " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PackageExportException("interrupted while exporting to " + outDir, e);
        }
        if (rc != 0) {
            String last = tail.isEmpty() ? "(no output)" : tail.get(tail.size() - 1);
            throw new PackageExportException("export to " + outDir + " failed (exit " + rc + "): " + last);
        }
        return ModelPackage.open(outDir);
    }

    /** The project root: system property {@code edgeseg.root}, else env {@code EDGESEG_ROOT}. */
    public static Path root() {
        String r = System.getProperty("edgeseg.root");
        if (r == null || r.isBlank()) {
            r = System.getenv("EDGESEG_ROOT");
        }
        if (r == null || r.isBlank()) {
            throw new PackageExportException("project root unknown: set EDGESEG_ROOT (the ./edgeseg script does) "
                    + "or -Dedgeseg.root");
        }
        return Path.of(r).toAbsolutePath().normalize();
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + dir, e);
        }
    }
}
