package org.agentchannels.ui.internal.chat;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

import org.agentchannels.ui.internal.Messages;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;

/**
 * Which files named by an agent's diffs are on this machine, found out in a Job: a disk (or a network mount)
 * that is slow to answer must never hold up the UI thread, so an unknown path counts as absent until its check
 * has run, and {@code onFound} then asks for a repaint. Remembers at most {@link #MAX_KNOWN} paths (the oldest
 * are asked again when they come back) and queues at most {@link #MAX_QUEUED}. Any thread.
 */
final class LocalFiles {

    static final int MAX_KNOWN = 2000;
    static final int MAX_QUEUED = 200;

    private final Map<String, Boolean> known = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_KNOWN;
        }
    };
    private final ArrayDeque<String> queued = new ArrayDeque<>();
    private final Runnable onFound;
    private final Job check;

    LocalFiles(Runnable onFound) {
        this.onFound = onFound;
        check = Job.create(Messages.Tool_compare, this::checkQueued);
        check.setSystem(true);
    }

    /** Whether {@code path} is known to be a file here; an absolute path not yet known is queued for a check. */
    boolean exists(String path) {
        synchronized (this) {
            Boolean found = known.get(path);
            if (found != null) {
                return found;
            }
            if (!isAbsolute(path) || queued.contains(path) || queued.size() >= MAX_QUEUED) {
                return false;
            }
            queued.add(path);
        }
        check.schedule();
        return false;
    }

    private static boolean isAbsolute(String path) {
        try {
            return !path.isEmpty() && Path.of(path).isAbsolute();
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private IStatus checkQueued(IProgressMonitor monitor) {
        boolean any = false;
        while (!monitor.isCanceled()) {
            String path;
            synchronized (this) {
                path = queued.peek();
            }
            if (path == null) {
                break;
            }
            boolean found = Files.isRegularFile(Path.of(path));
            synchronized (this) {
                queued.remove(path);
                known.put(path, found);
            }
            any |= found;
        }
        if (any) {
            onFound.run();
        }
        return Status.OK_STATUS;
    }

    /** Stops checking (the chat closed). */
    void dispose() {
        check.cancel();
    }
}
