package org.agentchannels.gateway.internal.trust;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.agentchannels.core.DaemonThreads;

/**
 * Tells the running gateway when {@code devices.json} changed (a device revoked by {@code gateway revoke}, run as
 * another process), so that it closes that device's connections at once: the file system's change notification
 * wakes it, and a look every {@value #BACKSTOP_SECONDS} seconds catches what a notification may miss.
 */
public final class DevicesWatch implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DevicesWatch.class.getName());
    static final int BACKSTOP_SECONDS = 2;

    private final PairedDevices devices;
    private final Runnable changed;
    private final WatchService watch;
    private final Thread thread;
    private volatile boolean closed;

    /** @param changed run on the watch's thread after each change */
    public DevicesWatch(PairedDevices devices, Runnable changed) throws IOException {
        this.devices = devices;
        this.changed = changed;
        this.watch = FileSystems.getDefault().newWatchService();
        devices.file().getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        this.thread = DaemonThreads.named("agentchannels-devices-watch").newThread(this::run);
        thread.start();
    }

    private void run() {
        Object seen = versionOrNull();
        while (!closed) {
            try {
                WatchKey key = watch.poll(BACKSTOP_SECONDS, TimeUnit.SECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            Object now = versionOrNull();
            if (!Objects.equals(now, seen)) {
                seen = now;
                try {
                    changed.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "acting on a change of " + devices.file() + " failed", e);
                }
            }
        }
    }

    private Object versionOrNull() {
        try {
            return devices.version();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            watch.close();
        } catch (IOException e) {
            // the thread ends at its next look
        }
        thread.interrupt();
    }
}
