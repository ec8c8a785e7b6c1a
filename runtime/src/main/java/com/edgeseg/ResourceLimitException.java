package com.edgeseg;

/**
 * A request that is valid but needs more than this process may take (memory, grid size, queue room); the message
 * says how much it needs and what the limit is.
 */
public final class ResourceLimitException extends EdgeSegException {
    public ResourceLimitException(String message) {
        super(message);
    }

    public ResourceLimitException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public Category category() {
        return Category.RESOURCE;
    }
}
