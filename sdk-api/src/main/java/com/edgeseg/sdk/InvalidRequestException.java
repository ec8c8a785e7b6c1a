package com.edgeseg.sdk;

/** The caller's input or request is wrong (bad slice, click outside the series, unknown class, ...). */
public final class InvalidRequestException extends StudyException {
    InvalidRequestException(Reason reason, String message) {
        super(reason, message, null);
    }
}
