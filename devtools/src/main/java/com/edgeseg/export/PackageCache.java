package com.edgeseg.export;

import com.edgeseg.pkg.ModelPackage;
import com.edgeseg.pkg.PackageFormatException;
import com.edgeseg.pkg.PackageIntegrityException;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Packages exported from weight files, kept under
 * {@code <root>/packages/<name>-<sha256 prefix of the weights>-x<exporter hash>/} so each weight file is exported
 * once and reused while it still verifies. {@code <name>} is the weight file's folder name (e.g. {@code net-w8-a}),
 * so sets sharing one weight file share one package. The exporter hash covers the exporter's sources
 * ({@link #EXPORTER_SOURCES}): a change to how engines are exported gets fresh packages instead of stale ones.
 */
public final class PackageCache {
    private static final int SHA_PREFIX = 12;
    private static final int EXPORTER_PREFIX = 8;
    /** Files under the project root whose content decides what an export produces. */
    static final java.util.List<String> EXPORTER_SOURCES = java.util.List.of(
            "tools/vista3d/export.py", "tools/vista3d/network.py", "tools/vista3d/weights.py",
            "tools/vista3d/package_weights.py");

    private PackageCache() {}

    /** {@code <root>/packages}. */
    public static Path packagesDir() {
        return PackageExporter.root().resolve("packages");
    }

    /** The verified package for {@code weights}, exporting it first if it is missing or no longer verifies. */
    public static ModelPackage forWeights(Path weights, PrintStream progress) {
        if (!Files.isRegularFile(weights)) {
            throw new PackageExportException(weights + ": no such weights file");
        }
        Path abs = weights.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        String name = parent != null && parent.getFileName() != null ? parent.getFileName().toString() : "weights";
        Path dir = packagesDir().resolve(name + "-" + ModelPackage.sha256(abs).substring(0, SHA_PREFIX)
                + "-x" + exporterHash());
        return openOrExport(dir, "cache: exporting " + abs + " to " + dir,
                staged -> PackageExporter.exportWeights(abs, staged, progress), progress);
    }

    /**
     * A random-init package ({@code export.py --init-seed}) of the given width, kept under
     * {@code <root>/packages/init-w<width>-seed<seed>-x<exporter hash>/} (benchmarks; not a trained model).
     */
    public static ModelPackage forInitSeed(int seed, int width, PrintStream progress) {
        Path dir = packagesDir().resolve("init-w" + width + "-seed" + seed + "-x" + exporterHash());
        return openOrExport(dir, "cache: exporting init seed " + seed + " width " + width + " to " + dir,
                staged -> PackageExporter.exportInitSeed(seed, width, staged, progress), progress);
    }

    /** Hex prefix of a SHA-256 over the exporter's source files (name and content hash of each, in order). */
    static String exporterHash() {
        Path root = PackageExporter.root();
        StringBuilder all = new StringBuilder();
        for (String source : EXPORTER_SOURCES) {
            Path file = root.resolve(source);
            if (!Files.isRegularFile(file)) {
                throw new PackageExportException("exporter source missing: " + file);
            }
            all.append(source).append('=').append(ModelPackage.sha256(file)).append('\n');
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(all.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest).substring(0, EXPORTER_PREFIX);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The package in {@code dir} if it verifies, else a fresh export into it. */
    private static ModelPackage openOrExport(Path dir, String exportLine, java.util.function.Consumer<Path> export,
                                             PrintStream progress) {
        if (Files.isDirectory(dir)) {
            try {
                return ModelPackage.open(dir);
            } catch (PackageFormatException | PackageIntegrityException e) {
                progress.println("cache: " + dir + " does not verify (" + e.getMessage() + "); exporting again");
                PackageExporter.deleteTree(dir);
            }
        } else {
            progress.println(exportLine);
        }
        stageAndMove(dir, export, progress);
        return ModelPackage.open(dir);
    }

    // export beside the final folder, then rename: a concurrent or interrupted export leaves no half package
    private static void stageAndMove(Path dir, java.util.function.Consumer<Path> export, PrintStream progress) {
        try {
            Files.createDirectories(dir.getParent());
            Path tmp = Files.createTempDirectory(dir.getParent(), "." + dir.getFileName() + ".export-");
            try {
                Path staged = tmp.resolve("pkg");
                export.accept(staged);
                try {
                    Files.move(staged, dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                    progress.println("cache: " + dir + " appeared meanwhile; using it");
                }
            } finally {
                PackageExporter.deleteTree(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("exporting into " + dir, e);
        }
    }
}
