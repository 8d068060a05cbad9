package org.agentchannels.connector.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.agentchannels.connector.GatewayConnection;

import com.google.gson.JsonObject;

/**
 * The raw JSON-RPC call beneath a {@link GatewayConnection}'s typed calls: any method, any parameters, the
 * result as it came. Only the connector's own code calls it (and the connector's tests, to drive the
 * connection's correlation with methods of their own); everyone else uses the typed calls.
 */
public interface RawGatewayCalls {

    /** Calls {@code method} with {@link GatewayConnection#DEFAULT_TIMEOUT}. */
    default CompletableFuture<JsonObject> request(String method, JsonObject params) {
        return request(method, params, GatewayConnection.DEFAULT_TIMEOUT);
    }

    /**
     * Calls {@code method}, waiting and failing as {@link GatewayConnection} describes for its calls: an error
     * answer fails it with {@code RPC_ERROR} and the gateway's code.
     */
    CompletableFuture<JsonObject> request(String method, JsonObject params, Duration timeout);
}
