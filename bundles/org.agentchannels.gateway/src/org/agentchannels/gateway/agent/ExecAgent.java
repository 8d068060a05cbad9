package org.agentchannels.gateway.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.agentchannels.core.DaemonThreads;
import org.agentchannels.gateway.GatewayOptions;

/**
 * Runs a command per prompt (for example a command-line coding agent) with {@code /bin/sh -c}: the prompt on
 * its standard input, always, and in {@code AGENTCHANNELS_PROMPT} too when an environment variable can carry it
 * (see {@link #MAX_PROMPT_IN_ENVIRONMENT}); its standard output streamed as the reply, its exit status deciding
 * how the turn ends. Interrupting kills the command and everything it started.
 */
public final class ExecAgent implements Agent {

    /**
     * The longest prompt, in UTF-8 bytes, also given in {@code AGENTCHANNELS_PROMPT}: well inside the 128 KiB
     * Linux allows one variable and the whole environment other systems allow. A longer prompt, or one with a
     * NUL byte (which no environment can hold), leaves the variable unset; the command reads it on its input.
     */
    public static final int MAX_PROMPT_IN_ENVIRONMENT = 32 * 1024;

    private final String command;
    private final Consumer<Process> started;

    public ExecAgent(String command) {
        this(command, process -> {
        });
    }

    /** @param started told of each command started (the gateway records it, so that none outlives it) */
    public ExecAgent(String command, Consumer<Process> started) {
        this.started = started;
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("the exec agent needs a command (exec-command)");
        }
        this.command = command;
    }

    /** "exec: " and the command's program name, short enough for a list row. */
    @Override
    public String model() {
        String program = command.strip().split("\\s+")[0];
        int slash = program.lastIndexOf('/');
        return "exec: " + (slash >= 0 ? program.substring(slash + 1) : program);
    }

    @Override
    public Turn start(Request request, Sink sink) {
        AtomicBoolean interrupted = new AtomicBoolean();
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(List.of("/bin/sh", "-c", command));
            Map<String, String> env = builder.environment();
            env.remove("AGENTCHANNELS_PROMPT"); // never one the gateway itself was started with
            if (fitsEnvironment(request.prompt())) {
                env.put("AGENTCHANNELS_PROMPT", request.prompt());
            }
            env.put("AGENTCHANNELS_SENDER_DEVICE", request.senderDevice()); // sanitised: no control characters
            env.put("AGENTCHANNELS_SESSION_ID", request.sessionId());
            GatewayOptions.SECRET_VARIABLES.forEach(env::remove); // the gateway's secrets, not the command's
            process = builder.start();
            started.accept(process);
        } catch (IOException e) {
            // the operating system's reason only: the exception's own message names the command
            String reason = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
                    : e.getClass().getSimpleName();
            sink.complete(Result.error("the command could not be started: " + reason));
            return () -> {
            };
        }
        Process running = process;
        try {
            TurnThreads.start("agentchannels-exec-" + request.sessionId(), sink, () -> run(running, request, sink, interrupted));
        } catch (RuntimeException | Error e) {
            kill(running);
            throw e;
        }
        return () -> {
            interrupted.set(true);
            kill(running);
        };
    }

    private static boolean fitsEnvironment(String prompt) {
        return prompt.indexOf('\0') < 0 && prompt.length() <= MAX_PROMPT_IN_ENVIRONMENT
                && prompt.getBytes(StandardCharsets.UTF_8).length <= MAX_PROMPT_IN_ENVIRONMENT;
    }

    private static void kill(Process process) {
        // the command first: killed after its children, a shell would go on to its next line meanwhile
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private static void run(Process process, Request request, Sink sink, AtomicBoolean interrupted) {
        StringBuilder stderr = new StringBuilder();
        Thread errors = DaemonThreads.named("agentchannels-exec-stderr").newThread(() -> drain(process.getErrorStream(), stderr));
        errors.start();
        // written beside the reading of the output: a command that answers as it reads (cat) would otherwise
        // fill its output pipe while this thread still writes a long prompt, and both would wait for ever
        DaemonThreads.named("agentchannels-exec-stdin").newThread(() -> feed(process, request.prompt())).start();
        try (Reader out = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
            char[] buffer = new char[4096];
            int n;
            while ((n = out.read(buffer)) >= 0) {
                if (n > 0 && !interrupted.get()) { // nothing written after the interrupt belongs to the turn
                    sink.delta(new String(buffer, 0, n));
                }
            }
            int status = process.waitFor();
            errors.join(2000);
            if (interrupted.get()) {
                sink.complete(Result.interrupted());
            } else if (status == 0) {
                sink.complete(Result.complete(null));
            } else {
                String tail;
                synchronized (stderr) {
                    tail = stderr.toString().strip();
                }
                sink.complete(Result.error("the command exited with status " + status + (tail.isEmpty() ? "" : ": " + tail)));
            }
        } catch (IOException | InterruptedException e) {
            sink.complete(interrupted.get() ? Result.interrupted() : Result.error("reading the command's output failed"));
        }
    }

    private static void feed(Process process, String prompt) {
        try (OutputStream in = process.getOutputStream()) {
            in.write(prompt.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the command does not read its input, or ended: fine
        }
    }

    private static void drain(InputStream stream, StringBuilder into) {
        try (Reader in = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
            char[] buffer = new char[1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (into) {
                    into.append(buffer, 0, n);
                    if (into.length() > 2000) {
                        into.delete(0, into.length() - 2000); // keep the end: that is where errors are
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}
