package com.edgeseg;

/**
 * Root of every failure a user of EdgeSeg can cause or observe. Each subclass names one kind of
 * problem (unreadable file, bad geometry, bad prompt, corrupt package ...) and its message says what
 * was expected, so that a caller can map it to an exit code or a gRPC status without parsing text.
 */
public abstract class EdgeSegException extends RuntimeException {
    protected EdgeSegException(String message) {
        super(message);
    }

    protected EdgeSegException(String message, Throwable cause) {
        super(message, cause);
    }
}
