package com.edgeseg.cli;

import com.edgeseg.EdgeSegException;

/** A command line that does not say what the command needs; the message shows what was expected. */
final class UsageException extends EdgeSegException {
    UsageException(String message) {
        super(message);
    }

    static int positiveInt(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " " + value + ": expected a positive integer");
    }
}
