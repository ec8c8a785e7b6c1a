package com.edgeseg.cli;

import com.edgeseg.export.PackageCache;
import com.edgeseg.export.PackageExporter;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@code ./edgeseg segment} finds its model without {@code --model}: the shipped package in
 * {@code models/}, or, while no trained package ships, a package exported once from the reference vectors'
 * width-8 test weights ({@code ../shared/vectors/net-w8-a}) into {@code packages/}. Those weights are not
 * trained on anatomy: the run exercises the whole product path, but its masks carry no meaning.
 */
final class DefaultModel {
    private DefaultModel() {}

    static Path root() {
        return PackageExporter.root();
    }

    static Path shared() {
        String prop = System.getProperty("edgeseg.shared");
        return prop != null ? Path.of(prop) : root().resolveSibling("shared");
    }

    static Path resolve(PrintStream err) {
        Path shipped = root().resolve("models");
        if (Files.isRegularFile(shipped.resolve("manifest.json"))) {
            return shipped;
        }
        Path weights = shared().resolve("vectors/net-w8-a/weights.npz");
        err.println("segment: no trained package in models/; using the width-8 test weights of " + weights
                + " (masks are not anatomically meaningful)");
        return PackageCache.forWeights(weights, err).dir();
    }
}
