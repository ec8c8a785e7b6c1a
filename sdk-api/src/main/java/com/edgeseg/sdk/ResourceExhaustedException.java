package com.edgeseg.sdk;

/** A bound was reached (memory budget, a full queue, a timeout); the same request may succeed later or with more. */
public final class ResourceExhaustedException extends StudyException {
    ResourceExhaustedException(Reason reason, String message) {
        super(reason, message, null);
    }
}
