package com.edgeseg.cli;

import com.edgeseg.EdgeSegException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of {@code ./edgeseg}. Exit codes: 0 success, 1 a check failed, 2 bad usage or bad input (a user
 * fault: {@link EdgeSegException.Category#USER}), 3 a system fault (engine, I/O, bug), 4 a resource limit (out of
 * memory, a grid larger than allowed).
 */
public final class Main {
    static final int OK = 0;
    static final int CHECK_FAILED = 1;
    static final int BAD_INPUT = 2;
    static final int INTERNAL = 3;
    static final int RESOURCE_LIMIT = 4;

    private Main() {}

    static Map<String, Command> commands() {
        Map<String, Command> m = new LinkedHashMap<>();
        for (Command c : List.<Command>of(new SegmentCommand(), new StreamCommand(), new ServeCommand(), new DemoCommand(), new CheckPipelineCommand(),
                new CheckVectorsCommand(), new BenchmarkCommand())) {
            m.put(c.name(), c);
        }
        return m;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line and returns its exit code (used by tests in-process). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, Command> commands = commands();
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || !commands.containsKey(args[0])) {
            err.println("usage: edgeseg <command> [options]");
            for (Command c : commands.values()) {
                err.printf("  %-16s %s%n", c.name(), c.summary());
            }
            return args.length == 0 || !args[0].startsWith("-") ? BAD_INPUT : OK;
        }
        Command c = commands.get(args[0]);
        try {
            return c.run(Arrays.asList(args).subList(1, args.length), out, err);
        } catch (EdgeSegException e) {
            return switch (e.category()) {
                case USER -> {
                    err.println("error: " + e.getMessage());
                    yield BAD_INPUT;
                }
                case RESOURCE -> {
                    err.println("resource limit: " + e.getMessage());
                    yield RESOURCE_LIMIT;
                }
                case SYSTEM -> {
                    err.println("system error: " + e.getMessage());
                    yield INTERNAL;
                }
            };
        } catch (OutOfMemoryError e) {
            err.println("resource limit: out of memory (" + e.getMessage() + ", heap max "
                    + Runtime.getRuntime().maxMemory() / 1048576 + " MiB); expected a larger heap (EDGESEG_JAVA_OPTS="
                    + "-Xmx...) or a smaller input");
            return RESOURCE_LIMIT;
        } catch (java.io.UncheckedIOException e) {
            err.println("I/O error: " + e.getMessage() + " (" + e.getCause().getMessage() + ")");
            return INTERNAL;
        } catch (Exception e) {
            err.println("internal error: " + e);
            e.printStackTrace(err);
            return INTERNAL;
        }
    }
}
