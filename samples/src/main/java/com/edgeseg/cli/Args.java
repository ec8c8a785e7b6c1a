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


    static double nonNegativeDouble(String option, String value) {
        try {
            double v = Double.parseDouble(value);
            if (v >= 0 && Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the usage error
        }
        throw new UsageException(option + " expects a number >= 0, got '" + value + "'");
    }

    static <E extends Enum<E>> E choice(String option, String value, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        throw new UsageException(option + " expects one of " + java.util.Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase()).toList() + ", got '" + value + "'");
    }
}
