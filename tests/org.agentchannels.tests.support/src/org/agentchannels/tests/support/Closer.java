package org.agentchannels.tests.support;

import java.util.ArrayList;
import java.util.List;

/** What a test opened, closed the last first; one failure does not keep the rest open. */
public final class Closer implements AutoCloseable {

    private final List<AutoCloseable> open = new ArrayList<>();

    public synchronized <T extends AutoCloseable> T track(T closeable) {
        open.add(closeable);
        return closeable;
    }

    /** Closes everything tracked so far; the first failure is thrown once the rest are closed. */
    @Override
    public void close() throws Exception {
        List<AutoCloseable> all;
        synchronized (this) {
            all = new ArrayList<>(open);
            open.clear();
        }
        Exception first = null;
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                all.get(i).close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
