package org.agentchannels.gateway.internal.acp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.agentchannels.core.DaemonThreads;
import org.agentchannels.core.protocol.Json;
import org.agentchannels.gateway.internal.session.Bursts;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/**
 * JSON-RPC 2.0 over an agent's standard input and output, one object per line, as ACP's stdio transport
 * says. Our requests are numbered; the agent's requests keep whatever id it chose (some agents use strings).
 * A line that is not a JSON object is reported and skipped; a line over {@link #MAX_LINE_BYTES} is refused
 * whole (read past, never buffered), so a runaway agent cannot take the gateway's memory.
 */
public final class AcpChannel implements AutoCloseable {

    public static final int MAX_LINE_BYTES = 8 << 20;
    /** The most that may wait to be written to an agent that does not read its input. */
    static final long MAX_QUEUED_BYTES = 32L << 20;
    private static final byte[] END_OF_INPUT = new byte[0];

    /** What the agent says. Called on the channel's reader thread, in line order; must not block. */
    public interface Handler {
        void notification(String method, JsonObject params);

        void request(JsonElement id, String method, JsonObject params);

        /** A line that could not be used; the channel goes on. Never carries the line's text. */
        void malformed(String problem);

        /** The agent's output ended (it exited or closed it). Pending calls have failed. */
        void closed();
    }

    /** An error answer of the agent. */
    public static final class AcpError extends Exception {
        private static final long serialVersionUID = 1L;
        private final int code;

        public AcpError(int code, String message) {
            super(message);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** The agent's output ended before it answered. */
    public static final class ChannelClosed extends Exception {
        private static final long serialVersionUID = 1L;

        public ChannelClosed() {
            super("the agent stopped");
        }
    }

    private final InputStream in;
    private final OutputStream out;
    private final Handler handler;
    /** The reader thread's: answer and reasoning chunks read together, joined. */
    private final StreamedChunks chunks;
    private final String name;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    /** What waits to be written, in order, by the writer thread alone: no caller ever blocks on the agent's pipe. */
    private final BlockingQueue<byte[]> outgoing = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private volatile boolean inputEnded;
    private volatile boolean closed;

    public AcpChannel(InputStream agentOutput, OutputStream agentInput, Handler handler, String name) {
        this.in = agentOutput;
        this.out = agentInput;
        this.handler = handler;
        this.chunks = new StreamedChunks(handler);
        this.name = name;
    }

    public void start() {
        DaemonThreads.named("agentchannels-acp-" + name).newThread(this::readLoop).start();
        DaemonThreads.named("agentchannels-acp-writer-" + name).newThread(this::writeLoop).start();
    }

    /** Calls {@code method}; completes with the result object, or fails with {@link AcpError} / {@link ChannelClosed}. */
    public CompletableFuture<JsonObject> call(String method, JsonObject params) {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonObject> result = new CompletableFuture<>();
        pending.put(id, result);
        JsonObject message = envelope(new JsonPrimitive(id));
        message.addProperty("method", method);
        message.add("params", params);
        if (closed || !send(message)) {
            pending.remove(id);
            result.completeExceptionally(new ChannelClosed());
        }
        return result;
    }

    public void notify(String method, JsonObject params) {
        JsonObject message = envelope(null);
        message.addProperty("method", method);
        message.add("params", params);
        send(message);
    }

    public void respond(JsonElement id, JsonElement result) {
        JsonObject message = envelope(id);
        message.add("result", result);
        send(message);
    }

    /**
     * Answers with {@code result} only when the whole answer's line (its JSON escapes counted) is at most
     * {@code maxBytes}: the same bound an agent's lines have here, so an answer never outgrows what its reader
     * may hold for one line.
     *
     * @return whether it was within the bound; when not, nothing was sent
     */
    public boolean respondWithin(JsonElement id, JsonElement result, int maxBytes) {
        JsonObject message = envelope(id);
        message.add("result", result);
        byte[] line = (message + "\n").getBytes(StandardCharsets.UTF_8);
        if (line.length > maxBytes) {
            return false;
        }
        queue(line);
        return true;
    }

    public void respondError(JsonElement id, int code, String text) {
        JsonObject error = new JsonObject();
        error.addProperty("code", code);
        error.addProperty("message", text);
        JsonObject message = envelope(id);
        message.add("error", error);
        send(message);
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Ends the agent's input once what was queued is written; an agent that honours the transport then exits.
     * Never blocks: an agent that stopped reading is ended by killing it.
     */
    @Override
    public void close() {
        if (!inputEnded) {
            inputEnded = true;
            outgoing.add(END_OF_INPUT);
        }
    }

    private static JsonObject envelope(JsonElement id) {
        JsonObject message = new JsonObject();
        message.addProperty("jsonrpc", "2.0");
        if (id != null) {
            message.add("id", id);
        }
        return message;
    }

    /** Queues one line; false when the input has ended or an agent that does not read has too much waiting. */
    private boolean send(JsonObject message) {
        return queue((message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private boolean queue(byte[] line) {
        if (inputEnded || queuedBytes.addAndGet(line.length) > MAX_QUEUED_BYTES) {
            queuedBytes.addAndGet(-line.length);
            return false;
        }
        outgoing.add(line);
        return true;
    }

    private void writeLoop() {
        try (OutputStream input = out) {
            while (true) {
                byte[] line = outgoing.take();
                if (line == END_OF_INPUT) {
                    return;
                }
                input.write(line);
                input.flush();
                queuedBytes.addAndGet(-line.length);
            }
        } catch (IOException e) {
            inputEnded = true; // the agent is gone; the reader sees the end of its output and fails what waits
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readLoop() {
        Bursts.Burst burst = null;
        try {
            LineReader lines = new LineReader(in, MAX_LINE_BYTES,
                    () -> handler.malformed("a line over " + (MAX_LINE_BYTES >> 20) + " MiB was refused"));
            String line;
            while ((line = lines.next()) != null) {
                if (burst == null) {
                    burst = Bursts.open(); // the lines at hand go to each device in one write
                }
                if (!line.isBlank() && !chunks.line(line)) {
                    try {
                        dispatch(line);
                    } catch (RuntimeException e) {
                        // a line of the wrong shape (an error code that is not a number, say): skipped, not fatal
                        handler.malformed("a line that could not be used was skipped (" + e.getClass().getSimpleName() + ")");
                    }
                }
                if (!lines.hasWholeLine()) {
                    chunks.flush(); // nothing more at hand: what is held goes now, not when the agent next writes
                    burst.close();
                    burst = null;
                }
            }
        } catch (IOException e) {
            // the pipe broke: same as the end of output
        } finally {
            chunks.flush();
            if (burst != null) {
                burst.close();
            }
            closed = true;
            inputEnded = true;
            outgoing.add(END_OF_INPUT); // the writer ends too
            pending.values().forEach(f -> f.completeExceptionally(new ChannelClosed()));
            pending.clear();
            handler.closed();
        }
    }

    private void dispatch(String line) {
        JsonObject message;
        try {
            JsonElement parsed = JsonParser.parseString(line);
            if (!parsed.isJsonObject()) {
                handler.malformed("a line that is not a JSON object was skipped");
                return;
            }
            message = parsed.getAsJsonObject();
        } catch (JsonParseException e) {
            handler.malformed("a line that is not JSON was skipped");
            return;
        }
        JsonElement id = message.get("id");
        JsonElement method = message.get("method");
        if (method != null && method.isJsonPrimitive()) {
            JsonElement params = message.get("params");
            JsonObject p = params != null && params.isJsonObject() ? params.getAsJsonObject() : new JsonObject();
            if (id == null || id.isJsonNull()) {
                chunks.notification(method.getAsString(), p);
            } else {
                chunks.flush();
                handler.request(id, method.getAsString(), p);
            }
            return;
        }
        chunks.flush(); // an answer (the prompt's end, say) comes after every chunk the agent wrote before it
        if (id == null || !id.isJsonPrimitive() || !id.getAsJsonPrimitive().isNumber()) {
            handler.malformed("an answer to no request of ours was skipped");
            return;
        }
        CompletableFuture<JsonObject> waiting = pending.remove(id.getAsLong());
        if (waiting == null) {
            handler.malformed("an answer to no request of ours was skipped");
            return;
        }
        JsonElement error = message.get("error");
        if (error != null && error.isJsonObject()) {
            JsonObject e = error.getAsJsonObject();
            int code = (int) Json.number(e, "code", 0);
            String text = Json.text(e, "message");
            waiting.completeExceptionally(new AcpError(code, text));
            return;
        }
        JsonElement result = message.get("result");
        waiting.complete(result != null && result.isJsonObject() ? result.getAsJsonObject() : new JsonObject());
    }
}
