package com.edgeseg.pkg;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * A verified model package folder: {@code manifest.json} plus the engine files it lists. {@link #open} checks
 * the manifest's structure, that every engine file is listed, and the sha256 of every listed file, so an
 * opened package is exactly the one that was exported.
 */
public final class ModelPackage {
    public static final String MANIFEST = "manifest.json";
    /** The manifest's own sha256, {@code "<hex>  manifest.json"}. */
    public static final String MANIFEST_HASH = "manifest.sha256";

    private final Path dir;
    private final Manifest manifest;

    private ModelPackage(Path dir, Manifest manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    /**
     * @throws PackageFormatException when the folder or manifest is missing or malformed
     * @throws PackageIntegrityException naming the first file that is unlisted, missing or altered
     */
    public static ModelPackage open(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        Path m = d.resolve(MANIFEST);
        if (!Files.isDirectory(d)) {
            throw new PackageFormatException(dir + ": not a model package folder (no such directory)");
        }
        if (!Files.isRegularFile(m)) {
            throw new PackageFormatException(dir + ": not a model package (no " + MANIFEST + ")");
        }
        verifyManifestHash(dir, d, m);
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(m.toFile());
        } catch (JsonProcessingException e) {
            throw new PackageFormatException(m + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + m, e);
        }
        if (root == null) {
            throw new PackageFormatException(m + ": empty file");
        }
        Manifest manifest = Manifest.parse(root, m.toString());
        for (EngineSpec e : manifest.engines().values()) {
            if (!manifest.files().containsKey(e.file())) {
                throw new PackageIntegrityException(e.file(), dir + ": engine file '" + e.file() + "' (" + e.role()
                        + ") is not listed in the manifest's files, so it cannot be verified");
            }
        }
        for (Map.Entry<String, String> f : manifest.files().entrySet()) {
            Path p = d.resolve(f.getKey());
            if (!Files.isRegularFile(p)) {
                throw new PackageIntegrityException(f.getKey(), dir + ": listed file '" + f.getKey() + "' is missing");
            }
            String actual = sha256(p);
            if (!actual.equals(f.getValue())) {
                throw new PackageIntegrityException(f.getKey(), dir + ": file '" + f.getKey()
                        + "' is altered or corrupt: sha256 " + actual + ", manifest says " + f.getValue());
            }
        }
        return new ModelPackage(d, manifest);
    }

    /**
     * The manifest lists every engine file's sha256; its own sha256 is in {@link #MANIFEST_HASH} (sha256sum format),
     * so an edited class table, preprocessing or window setting is refused like an altered engine.
     */
    private static void verifyManifestHash(Path dir, Path d, Path m) {
        Path h = d.resolve(MANIFEST_HASH);
        if (!Files.isRegularFile(h)) {
            throw new PackageIntegrityException(MANIFEST_HASH, dir + ": no " + MANIFEST_HASH + "; expected the "
                    + "manifest's sha256 beside it (tools/vista3d/export.py writes it)");
        }
        String want;
        try {
            String text = Files.readString(h, java.nio.charset.StandardCharsets.US_ASCII).trim();
            want = text.isEmpty() ? "" : text.split("\\s+")[0];
        } catch (IOException e) {
            throw new PackageIntegrityException(MANIFEST_HASH, dir + ": " + MANIFEST_HASH + " is unreadable; expected "
                    + "one line '<sha256>  " + MANIFEST + "'");
        }
        String actual = sha256(m);
        if (!actual.equals(want)) {
            throw new PackageIntegrityException(MANIFEST, dir + ": " + MANIFEST + " is altered or corrupt: sha256 "
                    + actual + ", " + MANIFEST_HASH + " says '" + want + "'; expected an unedited package");
        }
    }

    public Path dir() {
        return dir;
    }

    public Manifest manifest() {
        return manifest;
    }

    /** The ONNX file of an engine role ({@link Manifest#ENCODER} ...). */
    public Path engineFile(String role) {
        return dir.resolve(manifest.engine(role).file());
    }

    /** Bytes of the manifest and all listed files. */
    public long sizeBytes() {
        try {
            long n = Files.size(dir.resolve(MANIFEST));
            for (String f : manifest.files().keySet()) {
                n += Files.size(dir.resolve(f));
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lowercase hex sha256 of a file's bytes. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "ModelPackage[" + manifest.name() + " at " + dir + "]";
    }
}
