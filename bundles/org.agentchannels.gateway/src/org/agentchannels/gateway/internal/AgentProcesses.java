package org.agentchannels.gateway.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.agentchannels.core.OwnerOnlyFiles;

/**
 * The processes the gateway's agents started, recorded in an owner-only file of its home while they run, so
 * that none outlives the gateway: a clean stop kills what is still running ({@link #close()}), and a gateway
 * that was killed (SIGKILL, a crash, the OOM killer) leaves the file behind for the next start, which kills
 * each recorded process that still runs, and what it started ({@link #reapLeftovers(Path)}). A process counts
 * as the recorded one only when its id, its start time and its user all match: an id the system has since
 * given to another process is left alone.
 */
public final class AgentProcesses implements Consumer<Process>, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AgentProcesses.class.getName());

    private final Path file;
    private final Map<Long, ProcessHandle> running = new LinkedHashMap<>();
    private boolean closed;

    public AgentProcesses(Path file) {
        this.file = file;
    }

    /** Records a process an agent just started; it is forgotten again when it exits. */
    @Override
    public void accept(Process process) {
        ProcessHandle handle = process.toHandle();
        synchronized (this) {
            if (closed) {
                kill(handle);
                return;
            }
            running.put(handle.pid(), handle);
            write();
        }
        handle.onExit().thenRun(() -> {
            synchronized (this) {
                if (running.remove(handle.pid()) != null && !closed) {
                    write();
                }
            }
        });
    }

    // called with this object's lock held
    private void write() {
        StringBuilder text = new StringBuilder();
        for (ProcessHandle p : running.values()) {
            Optional<Instant> started = p.info().startInstant();
            if (started.isPresent()) {
                text.append(p.pid()).append(' ').append(started.get().toEpochMilli()).append('\n');
            }
        }
        try {
            OwnerOnlyFiles.replace(file, text.toString());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot record the agents' processes in " + file + ": " + e
                    + "; a killed gateway may leave them running");
        }
    }

    /**
     * Kills the processes a gateway that did not stop cleanly left running, as its file lists them, and
     * removes the file.
     *
     * @return how many were still running and were killed
     */
    public static int reapLeftovers(Path file) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            lines = List.of();
        }
        String user = ProcessHandle.current().info().user().orElse("");
        List<ProcessHandle> killed = new ArrayList<>();
        for (String line : lines) {
            String[] parts = line.strip().split(" ");
            if (parts.length != 2) {
                continue;
            }
            try {
                long pid = Long.parseLong(parts[0]);
                long started = Long.parseLong(parts[1]);
                ProcessHandle.of(pid).filter(p -> isTheRecordedOne(p, started, user)).ifPresent(p -> {
                    kill(p);
                    killed.add(p);
                });
            } catch (NumberFormatException e) {
                // not a line this class wrote: skipped
            }
        }
        for (ProcessHandle p : killed) {
            try {
                p.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // killed; the system reaps it in its own time
            }
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // rewritten by the first process recorded
        }
        return killed.size();
    }

    private static boolean isTheRecordedOne(ProcessHandle p, long startedMillis, String user) {
        ProcessHandle.Info info = p.info();
        return p.isAlive() && info.startInstant().map(i -> i.toEpochMilli() == startedMillis).orElse(false)
                && !user.isEmpty() && info.user().map(user::equals).orElse(false);
    }

    /** The process first, then what it had started: killed after its children, a shell would go on meanwhile. */
    private static void kill(ProcessHandle process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** Kills every recorded process still running (the agents had their chance to end their turns) and removes the file. */
    @Override
    public void close() {
        List<ProcessHandle> left;
        synchronized (this) {
            closed = true;
            left = new ArrayList<>(running.values());
            running.clear();
        }
        left.forEach(AgentProcesses::kill);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the next start finds only processes that are gone
        }
    }
}
