package com.edgeseg.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@code ./edgeseg segment} finds its model without {@code --model}: the trained package shipped in
 * {@code models/<name>/}, named by the one-line file {@code models/DEFAULT}. The runtime only ever reads ONNX files
 * and the manifest from there; it never exports or calls Python. Without a shipped package the command asks for
 * {@code --model} instead of falling back to untrained weights.
 */
final class DefaultModel {
    static final String POINTER = "DEFAULT";

    private DefaultModel() {}

    /** The project root: {@code -Dedgeseg.root}, else {@code EDGESEG_ROOT} (set by the {@code ./edgeseg} script). */
    static Path root() {
        String r = System.getProperty("edgeseg.root");
        if (r == null || r.isBlank()) {
            r = System.getenv("EDGESEG_ROOT");
        }
        if (r == null || r.isBlank()) {
            throw new UsageException("no --model given and the install folder is unknown (run through ./edgeseg, "
                    + "or set EDGESEG_ROOT); expected --model DIR");
        }
        return Path.of(r).toAbsolutePath().normalize();
    }

    /** {@code <root>/models/<name in models/DEFAULT>}. */
    static Path resolve() {
        Path models = root().resolve("models");
        Path pointer = models.resolve(POINTER);
        String name;
        try {
            name = Files.readString(pointer, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UsageException("no default model: " + pointer + " is missing or unreadable; expected a file "
                    + "naming a package folder under " + models + ", or --model DIR");
        }
        Path dir = models.resolve(name).normalize();
        if (name.isEmpty() || !dir.getParent().equals(models) || !Files.isRegularFile(dir.resolve("manifest.json"))) {
            throw new UsageException(pointer + " names '" + name + "', which is not a package folder (with a "
                    + "manifest.json) under " + models + "; expected --model DIR or a valid " + POINTER);
        }
        return dir;
    }
}
