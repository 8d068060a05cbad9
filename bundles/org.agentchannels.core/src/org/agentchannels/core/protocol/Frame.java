package org.agentchannels.core.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

/**
 * One JSON-RPC 2.0 object as it travels in one WebSocket text frame, in either direction. Reading never
 * throws: what cannot be understood is a {@link Malformed} frame. Unknown fields stay in the JSON objects
 * kept here, so nothing a newer gateway sends is lost on the way through.
 */
public sealed interface Frame {

    /**
     * A call that expects an answer: from the client to the gateway, or (newer Hermes line) from the gateway
     * to the client, for blocking prompts such as {@code approval} and {@code clarify}.
     *
     * @param id the caller's id, a JSON number or string, echoed in the answer
     * @param params never null; an empty object when the frame carried none
     */
    record Request(JsonElement id, String method, JsonObject params) implements Frame {
        public Request {
            params = params == null ? new JsonObject() : params;
        }

        public String idKey() {
            return Frame.idKey(id);
        }
    }

    /** A successful answer; {@code result} is {@link JsonNull} when the peer sent none. */
    record Response(JsonElement id, JsonElement result) implements Frame {
        public Response {
            result = result == null ? JsonNull.INSTANCE : result;
        }

        public String idKey() {
            return Frame.idKey(id);
        }

        /** @return the result when it is an object, else an empty object */
        public JsonObject resultObject() {
            return result.isJsonObject() ? result.getAsJsonObject() : new JsonObject();
        }
    }

    /** A failed answer. {@code id} is {@link JsonNull} when the peer could not read the request at all. */
    record Failure(JsonElement id, int code, String message, JsonElement data) implements Frame {
        public Failure {
            id = id == null ? JsonNull.INSTANCE : id;
            message = message == null ? "" : message;
            data = data == null ? JsonNull.INSTANCE : data;
        }

        public String idKey() {
            return Frame.idKey(id);
        }
    }

    /**
     * A gateway event: a notification with {@code "method":"event"}. {@code sessionId} is empty for events
     * of the connection ({@code gateway.ready}); {@code seq} is the gateway's sequence number, -1 when the
     * gateway does not number its events (every Hermes gateway).
     *
     * @param payload never null; an empty object when the frame carried none
     * @param params the whole {@code params} object, with any field this client does not know
     */
    record Event(String type, String sessionId, JsonObject payload, long seq, JsonObject params) implements Frame {
        public Event {
            type = type == null ? "" : type;
            sessionId = sessionId == null ? "" : sessionId;
            payload = payload == null ? new JsonObject() : payload;
            params = params == null ? new JsonObject() : params;
        }
    }

    /** A notification other than {@code event}: passed through for whoever knows it. */
    record Notification(String method, JsonObject params) implements Frame {
        public Notification {
            params = params == null ? new JsonObject() : params;
        }
    }

    /** Text that is not a frame this protocol knows. */
    record Malformed(ProtocolError error) implements Frame {
    }

    /** A map key for a JSON-RPC id: numbers and strings with the same text are different ids. */
    static String idKey(JsonElement id) {
        if (id == null || id.isJsonNull()) {
            return "null";
        }
        if (id.isJsonPrimitive() && id.getAsJsonPrimitive().isNumber()) {
            return "n:" + id.getAsNumber().toString();
        }
        return "s:" + (id.isJsonPrimitive() ? id.getAsString() : id.toString());
    }
}
