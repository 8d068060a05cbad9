package org.agentchannels.cli.tests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;

import org.agentchannels.cli.AgentChannelsCli;
import org.agentchannels.cli.Terminal;
import org.agentchannels.tests.support.Closer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Runs the command line in the test's JVM, keeping what it printed; closes what the test tracked after it. */
final class CliRun implements AfterEachCallback {

    private final Closer closer = new Closer();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Terminal terminal = Terminal.NONE;

    /** The terminal the next runs have (none by default: nothing is asked). */
    CliRun terminal(Terminal t) {
        terminal = t;
        return this;
    }

    /** Runs {@code args} with no environment variables; returns the exit status. */
    int run(String... args) {
        return run(Map.of(), args);
    }

    int run(Map<String, String> env, String... args) {
        out.reset();
        err.reset();
        return new AgentChannelsCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Clock.systemUTC(), terminal).run(args, env);
    }

    /** What the last run printed on standard output. */
    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Writes a token file as a person must keep one: readable by its owner only (others' are refused). */
    static Path tokenFile(Path file, String text) throws IOException {
        Files.writeString(file, text);
        return Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    <T extends AutoCloseable> T track(T closeable) {
        return closer.track(closeable);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        closer.close();
    }
}
