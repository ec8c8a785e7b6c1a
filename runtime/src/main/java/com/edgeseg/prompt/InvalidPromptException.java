package com.edgeseg.prompt;

import com.edgeseg.EdgeSegException;

/** A class prompt or click that the model cannot take: unknown class, legacy id, group with clicks, bad label. */
public final class InvalidPromptException extends EdgeSegException {
    public InvalidPromptException(String message) {
        super(message);
    }
}
