package com.edgeseg.io.npy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/** Reads NumPy {@code .npz} archives: a zip (stored or deflated) of {@code .npy} members. */
public final class Npz {
    private Npz() {}

    /** All arrays of the archive in archive order, keyed by member name without the {@code .npy} suffix. */
    public static Map<String, NpyArray> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new NpyFormatException(file + ": no such file");
        }
        Map<String, NpyArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                String name = e.getName();
                if (!name.endsWith(".npy")) {
                    throw new NpyFormatException(file + ": member '" + name + "' is not a .npy file");
                }
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(name.substring(0, name.length() - 4), Npy.read(in, file + "!" + name));
                }
            }
        } catch (ZipException e) {
            throw new NpyFormatException(file + ": not a readable .npz (zip) archive: " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new NpyFormatException(file + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
        return out;
    }
}
