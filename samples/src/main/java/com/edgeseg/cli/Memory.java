package com.edgeseg.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process from /proc (Linux); NaN elsewhere. */
final class Memory {
    private Memory() {}

    static double rssMiB() {
        return status("VmRSS:");
    }

    /** Peak resident set size (high-water mark) so far. */
    static double peakRssMiB() {
        return status("VmHWM:");
    }

    private static double status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
