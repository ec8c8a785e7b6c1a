package com.edgeseg;

/**
 * Root of every failure a user of EdgeSeg can cause or observe. Each subclass names one kind of
 * problem (unreadable file, bad geometry, bad prompt, corrupt package ...) and its message says what
 * was expected, so that a caller can map it to an exit code or a gRPC status without parsing text.
 */
public abstract class EdgeSegException extends RuntimeException {
    /**
     * Who is to blame, which decides how a caller reports it: a user fault (bad input or request: exit 2, gRPC
     * INVALID_ARGUMENT), a resource limit (exit 4, RESOURCE_EXHAUSTED) or a system fault (engine, I/O, bug: exit 3,
     * INTERNAL).
     */
    public enum Category { USER, RESOURCE, SYSTEM }

    protected EdgeSegException(String message) {
        super(message);
    }

    protected EdgeSegException(String message, Throwable cause) {
        super(message, cause);
    }

    /** User fault unless a subclass says otherwise. */
    public Category category() {
        return Category.USER;
    }
}
