package com.edgeseg.cli;

import com.edgeseg.EdgeSegException;

/** A command line that does not say what the command needs; the message shows what was expected. */
final class UsageException extends EdgeSegException {
    UsageException(String message) {
        super(message);
    }
}
