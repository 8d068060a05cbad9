package org.agentchannels.cli;

import java.io.PrintStream;
import java.time.Clock;

/** Where a command writes and what time it is: given by the caller, so tests capture both. */
record CliContext(PrintStream out, PrintStream err, Clock clock) {

    /** One line on err, the way every failure is reported (a gateway's words in it escaped as {@link TerminalText} does). */
    void fail(String message) {
        err.println("agentchannels: " + TerminalText.line(message));
    }
}
