package com.edgeseg.fidelity;

import com.edgeseg.EdgeSegException;

/** A fidelity profile name other than "parity" or "product". */
public final class UnknownFidelityProfileException extends EdgeSegException {
    public UnknownFidelityProfileException(String message) {
        super(message);
    }
}
