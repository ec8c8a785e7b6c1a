package com.edgeseg.io;

import java.io.BufferedOutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file under a temporary name in its own folder and renames it into place, so that a reader never sees a
 * half-written file and a failed write leaves nothing behind: the data is forced to disk before the rename, a
 * temporary file still open when the JVM exits (SIGTERM, System.exit) is deleted by a shutdown hook, and temporary
 * files a killed run (SIGKILL) left beside the same output are removed on the next write to it. One writer per
 * output file at a time.
 */
public final class AtomicFile {
    /** What goes into the file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final Set<Path> IN_FLIGHT = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path p : IN_FLIGHT) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // exiting anyway
                }
            }
        }, "edgeseg-temp-cleanup"));
    }

    private AtomicFile() {}

    /** The prefix and suffix of the temporary files of {@code file} (hidden, beside it). */
    private static boolean isTempOf(Path candidate, Path file) {
        String n = candidate.getFileName().toString();
        return n.startsWith("." + file.getFileName()) && n.endsWith(".tmp");
    }

    private static void removeStale(Path dir, Path file) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> isTempOf(p, file) && !IN_FLIGHT.contains(p))) {
            for (Path stale : ds) {
                Files.deleteIfExists(stale);
            }
        }
    }

    /** Creates missing parent folders, writes {@code content} and replaces {@code file} in one rename. */
    public static void write(Path file, Content content) {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            removeStale(dir, abs);
            tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
            IN_FLIGHT.add(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
                // the content may close its stream (a gzip writer does): keep the channel open for force()
                content.writeTo(new java.io.FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        out.flush();
                    }
                });
                out.flush();
                ch.force(true);
            }
            // temp files are created owner-only; the result is an ordinary output file
            if (Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            IN_FLIGHT.remove(tmp);
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is the one to report
                }
                IN_FLIGHT.remove(tmp);
            }
        }
    }
}
