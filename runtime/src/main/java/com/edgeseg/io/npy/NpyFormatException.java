package com.edgeseg.io.npy;

import com.edgeseg.EdgeSegException;

/** A {@code .npy} or {@code .npz} file that is not a readable little-endian, C-order array of a supported type. */
public final class NpyFormatException extends EdgeSegException {
    public NpyFormatException(String message) {
        super(message);
    }

    public NpyFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
