package com.edgeseg.engine;

/** Inputs (or output buffers) given to {@link InferenceEngine#run} do not match the engine's specs; the message says what was expected. */
public final class EngineInputException extends EngineException {
    public EngineInputException(String message) {
        super(message);
    }
}
