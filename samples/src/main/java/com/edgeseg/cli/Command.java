package com.edgeseg.cli;

import java.io.PrintStream;
import java.util.List;

/** One sub-command of {@code ./edgeseg}. Returns the process exit code; never calls System.exit itself. */
interface Command {
    String name();

    /** One line for the usage text. */
    String summary();

    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
