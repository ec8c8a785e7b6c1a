package com.edgeseg.window;

import com.edgeseg.EdgeSegException;

/** The {@code window} node of a model package is missing a value or has one the runtime cannot use. */
public final class InvalidWindowSettingsException extends EdgeSegException {
    public InvalidWindowSettingsException(String message) {
        super(message);
    }
}
