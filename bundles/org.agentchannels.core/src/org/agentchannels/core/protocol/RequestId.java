package org.agentchannels.core.protocol;

import java.util.Objects;

import com.google.gson.JsonElement;

/**
 * The id of a request the gateway sent this client (newer Hermes line: blocking prompts), held as an opaque
 * value: a client hands it back to answer the request and never reads it. Two ids are equal when the gateway
 * sent the same id; a number and a string with the same text are different ids, as in JSON-RPC.
 */
public final class RequestId {

    private final JsonElement wire;
    private final String key;

    private RequestId(JsonElement wire) {
        this.wire = wire.deepCopy();
        this.key = Frame.idKey(wire);
    }

    /** The id of {@code request}, as it came. */
    public static RequestId of(Frame.Request request) {
        return of(request.id());
    }

    /** @param wire the id as it travels: a JSON number or string */
    public static RequestId of(JsonElement wire) {
        return new RequestId(Objects.requireNonNull(wire, "a request id"));
    }

    /** The id as it goes back in the answer. */
    public JsonElement toJson() {
        return wire.deepCopy();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestId other && key.equals(other.key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    @Override
    public String toString() {
        return key;
    }
}
