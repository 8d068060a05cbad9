package org.agentchannels.gateway.internal.acp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.agentchannels.core.DaemonThreads;
import org.agentchannels.gateway.GatewayOptions;

/**
 * One running agent program: its standard streams, the end of what it wrote to standard error (for the error
 * shown when it dies), and a stop that closes its input, gives it a grace period and then kills it with
 * everything it started (some agents do not exit when their input closes).
 */
public final class AgentProcess {

    /** How much of standard error is kept, from its end. */
    static final int STDERR_TAIL_BYTES = 4096;

    private final Process process;
    private final byte[] tail = new byte[STDERR_TAIL_BYTES];
    private final Thread stderrReader;
    private long written;

    private AgentProcess(Process process) {
        this.process = process;
        this.stderrReader = DaemonThreads.named("agentchannels-acp-stderr").newThread(this::drainStderr);
        stderrReader.start();
    }

    /**
     * Starts {@code command} in {@code cwd} with the gateway's environment and {@code environment} over it.
     *
     * @throws IOException when the program cannot be started (its message never carries the environment)
     */
    public static AgentProcess start(List<String> command, Path cwd, Map<String, String> environment,
            Consumer<Process> started) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
        builder.environment().putAll(environment);
        GatewayOptions.SECRET_VARIABLES.forEach(builder.environment()::remove); // the gateway's secrets, not the agent's
        Process process = builder.start();
        started.accept(process);
        return new AgentProcess(process);
    }

    public InputStream stdout() {
        return process.getInputStream();
    }

    public OutputStream stdin() {
        return process.getOutputStream();
    }

    /**
     * The end of standard error once the agent has exited (waiting a moment for it, and for the last of its
     * output to be read); what there is so far if it has not.
     */
    public String stderrTailAfterExit() {
        try {
            if (process.waitFor(1, TimeUnit.SECONDS)) {
                stderrReader.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return stderrTail();
    }

    /** The last few KB the agent wrote to standard error, trimmed; empty if it wrote none. */
    public synchronized String stderrTail() {
        int size = (int) Math.min(written, tail.length);
        byte[] ordered = new byte[size];
        int start = (int) ((written - size) % tail.length);
        for (int i = 0; i < size; i++) {
            ordered[i] = tail[(start + i) % tail.length];
        }
        return new String(ordered, StandardCharsets.UTF_8).strip();
    }

    /**
     * Ends its input (through {@code endInput}, which never blocks), waits up to {@code grace} for it to exit,
     * then kills it; whatever it started (language servers, tool servers) is killed either way, so nothing it
     * started outlives it or keeps its pipes open.
     */
    public void stop(Duration grace, Runnable endInput) {
        List<ProcessHandle> started = process.descendants().toList();
        endInput.run();
        try {
            process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<ProcessHandle> children = new java.util.ArrayList<>(started);
        process.descendants().forEach(children::add);
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private void drainStderr() {
        byte[] buffer = new byte[4096];
        try (InputStream err = process.getErrorStream()) {
            int n;
            while ((n = err.read(buffer)) >= 0) {
                synchronized (this) {
                    for (int i = 0; i < n; i++) {
                        tail[(int) (written++ % tail.length)] = buffer[i];
                    }
                }
            }
        } catch (IOException e) {
            // the agent is gone
        }
    }
}
