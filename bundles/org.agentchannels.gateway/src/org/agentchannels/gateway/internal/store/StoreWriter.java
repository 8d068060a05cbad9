package org.agentchannels.gateway.internal.store;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.agentchannels.core.DaemonThreads;

/**
 * The one thread that touches the {@link TranscriptStore}. Sessions hand it their writes while they hold their
 * fan-out lock and go on at once, so a slow or synced disk never stalls a session's viewers; writes and reads
 * run in the order they were handed in, so a read sees every write handed in before it. Whoever acknowledges
 * something to a client (a prompt accepted) waits for its write first, outside any lock: what a client was told
 * is stored is committed.
 */
public final class StoreWriter implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(StoreWriter.class.getName());

    /** A unit of work on the store. */
    public interface Work<T> {
        T run(TranscriptStore store) throws SQLException;
    }

    /** A write that returns nothing. */
    public interface Write {
        void run(TranscriptStore store) throws SQLException;
    }

    private final TranscriptStore store;
    private final ExecutorService thread = Executors
            .newSingleThreadExecutor(DaemonThreads.named("agentchannels-gateway-store"));

    public StoreWriter(TranscriptStore store) {
        this.store = store;
    }

    /**
     * Queues a write: one transaction, so a write of several rows (a turn starting, a turn ending) is stored
     * whole or not at all, whenever the process dies. A failure is logged (naming {@code what}) and fails the
     * returned future.
     */
    public CompletableFuture<Void> write(String what, Write write) {
        return submit(what, s -> {
            write.run(s);
            return null;
        });
    }

    /** Queues a read (or a write with a result) behind everything queued before it. */
    public <T> CompletableFuture<T> submit(String what, Work<T> work) {
        CompletableFuture<T> done = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    done.complete(store.inTransaction(() -> work.run(store)));
                } catch (SQLException | RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, what + " failed in the session store", e);
                    done.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.completeExceptionally(new SQLException("the session store is closed"));
        }
        return done;
    }

    /** Finishes every queued write, then closes the store. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "the session store did not finish its writes within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
