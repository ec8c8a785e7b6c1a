package com.edgeseg.engine;

import com.edgeseg.EdgeSegException;

/** An inference engine could not be found, opened or run. */
public class EngineException extends EdgeSegException {
    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The engine failing is never the caller's fault. */
    @Override
    public Category category() {
        return Category.SYSTEM;
    }
}
