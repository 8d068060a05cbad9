package org.agentchannels.core.protocol;

import java.io.IOException;
import java.io.StringReader;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

/**
 * Reads and writes {@link Frame}s: JSON-RPC 2.0, one object per WebSocket text frame (protocol notes,
 * section 1). Reading is lenient where Hermes gateways differ (a trailing newline, a missing
 * {@code "jsonrpc"} member, unknown fields and event types) and strict where a peer could do harm (size,
 * nesting depth, trailing garbage). {@link #decode} never throws.
 */
public final class FrameCodec {

    /** The gateway closes a connection that sends a frame over 8 MiB; the client holds itself to the same. */
    public static final int DEFAULT_MAX_FRAME_CHARS = 8 * 1024 * 1024;
    /** Real frames nest five or six levels; tool results may nest more, but not this much. */
    public static final int DEFAULT_MAX_DEPTH = 64;

    private final int maxFrameChars;
    private final int maxDepth;

    public FrameCodec() {
        this(DEFAULT_MAX_FRAME_CHARS, DEFAULT_MAX_DEPTH);
    }

    public FrameCodec(int maxFrameChars, int maxDepth) {
        if (maxFrameChars <= 0 || maxDepth <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxFrameChars = maxFrameChars;
        this.maxDepth = maxDepth;
    }

    public int maxFrameChars() {
        return maxFrameChars;
    }

    /** Reads one frame's text; a problem becomes a {@link Frame.Malformed}. */
    public Frame decode(CharSequence text) {
        if (text == null) {
            return malformed(ProtocolError.Kind.EMPTY, "empty frame");
        }
        if (text.length() > maxFrameChars) {
            return malformed(ProtocolError.Kind.TOO_LARGE,
                    "frame of " + text.length() + " characters exceeds the limit of " + maxFrameChars);
        }
        String whole = text.toString();
        Frame.Event streamed = StreamedTextFrames.read(whole);
        if (streamed != null) {
            return streamed; // most of a turn's frames, read without a tree
        }
        String trimmed = whole.strip();
        if (trimmed.isEmpty()) {
            return malformed(ProtocolError.Kind.EMPTY, "empty frame");
        }
        JsonElement element;
        try {
            JsonReader reader = new JsonReader(new StringReader(trimmed));
            reader.setStrictness(Strictness.STRICT);
            reader.setNestingLimit(maxDepth);
            element = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                return malformed(ProtocolError.Kind.NOT_JSON, "trailing data after the JSON value");
            }
        } catch (StackOverflowError e) {
            return malformed(ProtocolError.Kind.TOO_DEEP, "nested deeper than " + maxDepth + " levels");
        } catch (JsonParseException | IOException | IllegalStateException e) {
            if (isNestingProblem(e)) {
                return malformed(ProtocolError.Kind.TOO_DEEP, "nested deeper than " + maxDepth + " levels");
            }
            return malformed(ProtocolError.Kind.NOT_JSON, "not JSON: " + firstLine(e));
        }
        if (!element.isJsonObject()) {
            return malformed(ProtocolError.Kind.NOT_AN_OBJECT, "a frame must be a JSON object");
        }
        return classify(element.getAsJsonObject());
    }

    /** Classifies an already parsed object; never throws. */
    public Frame classify(JsonObject o) {
        JsonElement method = o.get("method");
        JsonElement id = o.get("id");
        if (method != null) {
            if (!(method instanceof JsonPrimitive p && p.isString()) || p.getAsString().isEmpty()) {
                return malformed(ProtocolError.Kind.INVALID_MESSAGE, "'method' must be a non-empty string");
            }
            JsonElement rawParams = o.get("params");
            if (rawParams != null && !rawParams.isJsonNull() && !rawParams.isJsonObject()) {
                return malformed(ProtocolError.Kind.INVALID_MESSAGE, "'params' must be an object");
            }
            JsonObject params = rawParams instanceof JsonObject po ? po : new JsonObject();
            String name = p.getAsString();
            if (id != null && !id.isJsonNull()) {
                if (!isValidId(id)) {
                    return malformed(ProtocolError.Kind.INVALID_MESSAGE, "'id' must be a number or a string");
                }
                return new Frame.Request(id, name, params);
            }
            if ("event".equals(name)) {
                return new Frame.Event(Json.text(params, "type"), Json.text(params, "session_id"),
                        params.get("payload") instanceof JsonObject payload ? payload : new JsonObject(),
                        seq(params), params);
            }
            return new Frame.Notification(name, params);
        }
        if (o.has("error")) {
            if (!(o.get("error") instanceof JsonObject error)) {
                return malformed(ProtocolError.Kind.INVALID_MESSAGE, "'error' must be an object");
            }
            int code = error.get("code") instanceof JsonPrimitive c && c.isNumber() ? c.getAsInt() : 0;
            return new Frame.Failure(id == null ? JsonNull.INSTANCE : id, code, Json.text(error, "message"),
                    error.get("data"));
        }
        if (o.has("result")) {
            if (id == null || !isValidId(id)) {
                return malformed(ProtocolError.Kind.INVALID_MESSAGE, "a response needs a number or string 'id'");
            }
            return new Frame.Response(id, o.get("result"));
        }
        return malformed(ProtocolError.Kind.INVALID_MESSAGE, "neither a request, a response nor a notification");
    }

    /** Writes a frame as the one line of JSON that goes into a text frame. */
    public String encode(Frame frame) {
        return toJson(frame).toString();
    }

    /** The JSON object of a frame; a {@link Frame.Malformed} cannot be written. */
    public JsonObject toJson(Frame frame) {
        JsonObject o = new JsonObject();
        o.addProperty("jsonrpc", "2.0");
        switch (frame) {
            case Frame.Request r -> {
                o.add("id", r.id());
                o.addProperty("method", r.method());
                o.add("params", r.params());
            }
            case Frame.Response r -> {
                o.add("id", r.id());
                o.add("result", r.result());
            }
            case Frame.Failure f -> {
                o.add("id", f.id());
                JsonObject error = new JsonObject();
                error.addProperty("code", f.code());
                error.addProperty("message", f.message());
                if (!f.data().isJsonNull()) {
                    error.add("data", f.data());
                }
                o.add("error", error);
            }
            case Frame.Event e -> {
                o.addProperty("method", "event");
                JsonObject params = e.params().deepCopy();
                params.addProperty("type", e.type());
                if (!e.sessionId().isEmpty()) {
                    params.addProperty("session_id", e.sessionId());
                } else {
                    params.remove("session_id");
                }
                if (e.seq() >= 0) {
                    params.addProperty("seq", e.seq());
                }
                if (e.payload().size() > 0 || params.has("payload")) {
                    params.add("payload", e.payload());
                }
                o.add("params", params);
            }
            case Frame.Notification n -> {
                o.addProperty("method", n.method());
                o.add("params", n.params());
            }
            case Frame.Malformed m -> throw new IllegalArgumentException("a malformed frame cannot be written");
        }
        return o;
    }

    /** The request a client sends: {@code {"jsonrpc":"2.0","id":id,"method":method,"params":params}}. */
    public String request(long id, String method, JsonObject params) {
        return encode(new Frame.Request(new JsonPrimitive(id), method, params));
    }

    /** An event frame as a gateway writes it; {@code seq < 0} leaves the sequence number out. */
    public static Frame.Event event(String type, String sessionId, JsonObject payload, long seq) {
        return new Frame.Event(type, sessionId, payload, seq, new JsonObject());
    }

    private static boolean isValidId(JsonElement id) {
        return id instanceof JsonPrimitive p && (p.isNumber() || p.isString());
    }

    private static long seq(JsonObject params) {
        if (params.get("seq") instanceof JsonPrimitive p && p.isNumber()) {
            double d = p.getAsDouble();
            if (d >= 0 && d <= Long.MAX_VALUE && d == Math.floor(d)) {
                return p.getAsLong();
            }
        }
        return -1;
    }

    private static boolean isNestingProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.toLowerCase(java.util.Locale.ROOT).contains("nesting limit")) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(Throwable e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            return cause.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }

    private static Frame.Malformed malformed(ProtocolError.Kind kind, String message) {
        return new Frame.Malformed(new ProtocolError(kind, message));
    }
}
