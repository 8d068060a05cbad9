package org.agentchannels.cli;

import java.io.PrintStream;
import java.time.Clock;

/**
 * Where a command writes, what time it is, and the terminal a person may answer at: given by the caller, so tests
 * capture and drive them.
 */
record CliContext(PrintStream out, PrintStream err, Clock clock, Terminal terminal) {

    /** One line on err, the way every failure is reported (a gateway's words in it escaped as {@link TerminalText} does). */
    void fail(String message) {
        err.println("agentchannels: " + TerminalText.line(message));
    }
}
