package com.edgeseg.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A command's files, checked before any work starts: every input an existing readable regular file, the output a
 * file name (not a folder) that is none of the inputs, in a folder that exists or can be created and is writable.
 * So a mistyped command fails in milliseconds, and never overwrites what it reads.
 */
final class CommandFiles {
    private CommandFiles() {}

    static void requireInput(String option, Path p) {
        if (!Files.exists(p)) {
            throw new UsageException(option + " " + p + " does not exist; expected an existing file");
        }
        if (Files.isDirectory(p)) {
            throw new UsageException(option + " " + p + " is a directory; expected a .nii or .nii.gz file");
        }
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new UsageException(option + " " + p + " cannot be read; expected a readable regular file");
        }
    }

    /** Checks {@code out} against {@code inputs} (null entries are skipped). */
    static void requireOutput(String option, Path out, Path... inputs) {
        if (Files.isDirectory(out)) {
            throw new UsageException(option + " " + out + " is a directory; expected a .nii, .nii.gz or .dcm file name");
        }
        for (Path in : inputs) {
            if (in != null && same(out, in)) {
                throw new UsageException(option + " " + out + " is the same file as the input " + in
                        + "; expected a different output file (the input would be overwritten)");
            }
        }
        Path dir = out.toAbsolutePath().getParent();
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw new UsageException(option + " " + out + ": the folder " + (existing == null ? dir : existing)
                    + " is not writable; expected a folder the output can be written to");
        }
    }

    private static boolean same(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
        } catch (IOException e) {
            // fall back to comparing the names
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
