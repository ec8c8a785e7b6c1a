package com.edgeseg.cli;

/** Small helpers for command-line option values. */
final class Args {
    private Args() {}

    static int positiveInt(String option, String value) {
        try {
            int v = Integer.parseInt(value);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the usage error
        }
        throw new UsageException(option + " expects a positive integer, got '" + value + "'");
    }

}
