package com.edgeseg.conformance;

import com.edgeseg.EdgeSegException;

/** A reference-vector folder that is missing or not in the layout of shared/vectors/README.md. */
public final class VectorSetException extends EdgeSegException {
    public VectorSetException(String message) {
        super(message);
    }
}
