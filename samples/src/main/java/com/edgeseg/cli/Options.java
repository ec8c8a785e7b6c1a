package com.edgeseg.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A command's options: {@code --name value} pairs (repeatable) and bare flags, checked against what the command
 * takes, so every command refuses unknown options and missing values with the same message and its usage.
 */
final class Options {
    private final Map<String, List<String>> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    private Options() {}

    /**
     * @return the options, or empty when {@code -h}/{@code --help} asks for the usage
     * @throws UsageException for an unknown option or an option without its value
     */
    static Optional<Options> parse(List<String> args, Set<String> valued, Set<String> flagNames, String usage) {
        Options o = new Options();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-h") || a.equals("--help")) {
                return Optional.empty();
            }
            if (flagNames.contains(a)) {
                o.flags.add(a);
            } else if (valued.contains(a)) {
                if (i + 1 >= args.size()) {
                    throw new UsageException("option " + a + " needs a value\n" + usage);
                }
                o.values.computeIfAbsent(a, k -> new ArrayList<>()).add(args.get(++i));
            } else {
                throw new UsageException("unknown option " + a + "\n" + usage);
            }
        }
        return Optional.of(o);
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    /** The option's last value, or null. */
    String string(String name) {
        List<String> v = values.get(name);
        return v == null ? null : v.get(v.size() - 1);
    }

    /** Every value of a repeatable option, in order. */
    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    Path path(String name) {
        String v = string(name);
        return v == null ? null : Path.of(v);
    }

    /** The option converted by {@code parse(name, value)} (which throws a UsageException), or {@code otherwise}. */
    <T> T get(String name, BiFunction<String, String, T> parse, T otherwise) {
        String v = string(name);
        return v == null ? otherwise : parse.apply(name, v);
    }
}
