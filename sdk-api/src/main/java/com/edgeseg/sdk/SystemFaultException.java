package com.edgeseg.sdk;

/** The engine or the SDK failed; the study and other studies go on. */
public final class SystemFaultException extends StudyException {
    SystemFaultException(Reason reason, String message, Throwable cause) {
        super(reason, message, cause);
    }
}
