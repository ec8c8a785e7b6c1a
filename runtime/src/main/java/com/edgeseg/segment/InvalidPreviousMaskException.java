package com.edgeseg.segment;

import com.edgeseg.EdgeSegException;

/** A previous label map that cannot be edited as asked: wrong grid, no clicks, or no class named to edit. */
public final class InvalidPreviousMaskException extends EdgeSegException {
    public InvalidPreviousMaskException(String message) {
        super(message);
    }
}
