package com.edgeseg.sdk;

/**
 * Every failure the SDK reports, in three kinds a caller handles differently: {@link InvalidRequestException}
 * (the caller's input or request is wrong: fix it), {@link ResourceExhaustedException} (a bound was reached: wait
 * or give more) and {@link SystemFaultException} (the engine or the SDK failed: report it). The message says what
 * was expected; {@link #reason()} says which check failed.
 */
public abstract sealed class StudyException extends RuntimeException
        permits InvalidRequestException, ResourceExhaustedException, SystemFaultException {
    private final Reason reason;

    StudyException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
