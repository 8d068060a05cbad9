package org.agentchannels.core;

import java.util.concurrent.ThreadFactory;

/**
 * How every background thread of this product is made: a daemon (a forgotten one never keeps a JVM, a workbench
 * or a test runtime from exiting) with a name that says whose it is in a thread dump.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    public static ThreadFactory named(String name) {
        return task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            return t;
        };
    }
}
