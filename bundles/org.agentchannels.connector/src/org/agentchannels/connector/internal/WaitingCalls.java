package org.agentchannels.connector.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.agentchannels.connector.GatewayException;

import com.google.gson.JsonObject;

/**
 * Calls made while a connection is being (re)established: they wait for the gateway's ready frame, each failing
 * on its own when its timeout passes first. Not thread-safe: the connection guards it with its lock.
 */
public final class WaitingCalls {

    /** One call waiting to be sent. */
    public record Call(String method, JsonObject params, Duration timeout, CompletableFuture<JsonObject> future) {
    }

    private final List<Call> calls = new ArrayList<>();
    private final ScheduledExecutorService scheduler;

    public WaitingCalls(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    public void add(Call call, Supplier<GatewayException> onTimeout) {
        calls.add(call);
        scheduler.schedule(() -> call.future().completeExceptionally(onTimeout.get()), call.timeout().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** The calls to send now that the connection is ready, oldest first; none wait any more. */
    public List<Call> takeAll() {
        List<Call> out = new ArrayList<>(calls);
        calls.clear();
        return out;
    }

    public void failAll(GatewayException failure) {
        for (Call call : takeAll()) {
            call.future().completeExceptionally(failure);
        }
    }
}
