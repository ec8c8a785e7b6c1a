package com.edgeseg.segment;

import com.edgeseg.EdgeSegException;

/** A click that cannot be used: unparsable, not finite, or outside the input volume. */
public final class InvalidClickException extends EdgeSegException {
    public InvalidClickException(String message) {
        super(message);
    }
}
