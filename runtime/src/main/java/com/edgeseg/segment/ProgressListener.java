package com.edgeseg.segment;

import java.io.PrintStream;

/** Receives progress of long work (window by window); must be cheap and must not throw. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (stage, done, total) -> { };

    void progress(String stage, int done, int total);

    /** One line per step on {@code out}, e.g. {@code "segment: auto windows 3/12"}. */
    static ProgressListener lines(PrintStream out) {
        return (stage, done, total) -> out.printf("segment: %s %d/%d%n", stage, done, total);
    }
}
