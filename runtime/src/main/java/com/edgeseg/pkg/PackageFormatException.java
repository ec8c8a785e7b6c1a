package com.edgeseg.pkg;

import com.edgeseg.EdgeSegException;

/** A model package whose manifest is missing, not JSON, or does not follow {@code edgeseg-model/2}. */
public final class PackageFormatException extends EdgeSegException {
    public PackageFormatException(String message) {
        super(message);
    }

    public PackageFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
