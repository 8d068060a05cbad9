package org.agentchannels.connector.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.agentchannels.connector.GatewayException;

import com.google.gson.JsonObject;

/**
 * The calls of one connection that wait for their answer, by JSON-RPC id: each is answered, failed or timed out
 * exactly once. Each call remembers the socket generation it went out on, so a dropped socket fails its own
 * calls and no other's.
 */
public final class PendingCalls {

    /** Fails the calls of every generation. */
    public static final long ALL_GENERATIONS = Long.MAX_VALUE;

    private record Pending(CompletableFuture<JsonObject> future, long generation, ScheduledFuture<?> timeout) {
    }

    private final Map<String, Pending> calls = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;

    public PendingCalls(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /** Waits for the answer to {@code key}; without one within {@code timeout} the call fails with {@code onTimeout}. */
    public void track(String key, CompletableFuture<JsonObject> future, long generation, Duration timeout,
            Supplier<GatewayException> onTimeout) {
        ScheduledFuture<?> timer = scheduler.schedule(() -> {
            Pending p = calls.remove(key);
            if (p != null) {
                p.future.completeExceptionally(onTimeout.get());
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        calls.put(key, new Pending(future, generation, timer));
    }

    /** The answer came: a result, or the gateway's error. An answer nobody waits for (any more) is dropped. */
    public void answer(String key, JsonObject result, GatewayException error) {
        Pending p = calls.remove(key);
        if (p == null) {
            return; // timed out already, or an answer to a call of an older socket
        }
        p.timeout.cancel(false);
        if (error != null) {
            p.future.completeExceptionally(error);
        } else {
            p.future.complete(result);
        }
    }

    /** The call could not be sent on the socket of {@code generation}. */
    public void failUnsent(String key, long generation, GatewayException failure) {
        Pending p = calls.get(key);
        if (p != null && p.generation == generation && calls.remove(key, p)) {
            p.timeout.cancel(false);
            p.future.completeExceptionally(failure);
        }
    }

    /** Fails every call that went out on the socket of {@code generation} (or on any, {@link #ALL_GENERATIONS}). */
    public void failAll(long generation, GatewayException failure) {
        for (Map.Entry<String, Pending> e : calls.entrySet()) {
            Pending p = e.getValue();
            if ((generation == ALL_GENERATIONS || p.generation == generation) && calls.remove(e.getKey(), p)) {
                p.timeout.cancel(false);
                p.future.completeExceptionally(failure);
            }
        }
    }
}
