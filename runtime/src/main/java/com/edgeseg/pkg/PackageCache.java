package com.edgeseg.pkg;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Packages exported from weight files, kept under {@code <root>/packages/<name>-<sha256 prefix of the weights>/}
 * so each weight file is exported once and reused while it still verifies. {@code <name>} is the weight file's
 * folder name (e.g. {@code net-w8-a}), so sets sharing one weight file share one package.
 */
public final class PackageCache {
    private static final int SHA_PREFIX = 12;

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
        Path dir = packagesDir().resolve(name + "-" + ModelPackage.sha256(abs).substring(0, SHA_PREFIX));
        return openOrExport(dir, "cache: exporting " + abs + " to " + dir,
                staged -> PackageExporter.exportWeights(abs, staged, progress), progress);
    }

    /**
     * A random-init package ({@code export.py --init-seed}) of the given width, kept under
     * {@code <root>/packages/init-w<width>-seed<seed>/} (benchmarks; not a trained model).
     */
    public static ModelPackage forInitSeed(int seed, int width, PrintStream progress) {
        Path dir = packagesDir().resolve("init-w" + width + "-seed" + seed);
        return openOrExport(dir, "cache: exporting init seed " + seed + " width " + width + " to " + dir,
                staged -> PackageExporter.exportInitSeed(seed, width, staged, progress), progress);
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
