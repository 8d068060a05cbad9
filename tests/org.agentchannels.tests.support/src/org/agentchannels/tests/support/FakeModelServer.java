package org.agentchannels.tests.support;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * An OpenAI-compatible Chat Completions endpoint on loopback that streams scripted replies as server-sent
 * events, the way real providers do: reasoning ({@code reasoning_content}), text, and tool calls whose
 * arguments arrive in pieces. A real agent configured with its base URL runs fully offline. Every request
 * body is kept for the test to read.
 */
public final class FakeModelServer implements AutoCloseable {

    public static final String MODEL = "fake-model";

    /** What one completion request is answered with. */
    public sealed interface Reply {
    }

    /** Reasoning (may be empty), then text; {@code pause} between pieces (zero: at once). */
    public record Text(String reasoning, String text, Duration pause) implements Reply {
        public Text(String reasoning, String text) {
            this(reasoning, text, Duration.ZERO);
        }
    }

    /** One call of the tool {@code name} with {@code arguments} (a JSON object's text), streamed in pieces. */
    public record ToolCall(String id, String name, String arguments) implements Reply {
    }

    private final Function<JsonObject, Reply> script;
    private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
    private final Server server = new Server();
    private ServerConnector connector;

    /** @param script picks the reply from the request body (its {@code messages} say where the conversation is) */
    public FakeModelServer(Function<JsonObject, Reply> script) {
        this.script = script;
    }

    /** Starts on a free loopback port; returns the base URL ({@code http://127.0.0.1:<port>/v1}). */
    public String start() throws Exception {
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String path = Request.getPathInContext(request);
                if (path.endsWith("/models")) {
                    response.getHeaders().put("Content-Type", "application/json");
                    Content.Sink.write(response, true, "{\"object\":\"list\",\"data\":[{\"id\":\"" + MODEL + "\",\"object\":\"model\"}]}",
                            callback);
                    return true;
                }
                if (!path.endsWith("/chat/completions")) {
                    Response.writeError(request, response, callback, 404);
                    return true;
                }
                JsonObject body = JsonParser.parseString(Content.Source.asString(request, StandardCharsets.UTF_8)).getAsJsonObject();
                requests.add(body);
                response.getHeaders().put("Content-Type", "text/event-stream");
                try {
                    stream(response, script.apply(body));
                    response.write(true, ByteBuffer.allocate(0), callback);
                } catch (Exception e) {
                    callback.failed(e); // the agent hung up (cancelled): nothing more to send
                }
                return true;
            }
        });
        server.start();
        return "http://127.0.0.1:" + connector.getLocalPort() + "/v1";
    }

    /** The request bodies received, oldest first. */
    public List<JsonObject> requests() {
        return new ArrayList<>(requests);
    }

    private static void stream(Response response, Reply reply) throws Exception {
        switch (reply) {
            case Text t -> {
                for (String piece : pieces(t.reasoning())) {
                    chunk(response, delta("reasoning_content", piece), null);
                    pause(t.pause());
                }
                for (String piece : pieces(t.text())) {
                    chunk(response, delta("content", piece), null);
                    pause(t.pause());
                }
                chunk(response, new JsonObject(), "stop");
            }
            case ToolCall c -> {
                JsonObject function = new JsonObject();
                function.addProperty("name", c.name());
                function.addProperty("arguments", "");
                JsonObject call = new JsonObject();
                call.addProperty("index", 0);
                call.addProperty("id", c.id());
                call.addProperty("type", "function");
                call.add("function", function);
                chunk(response, toolCalls(call), null);
                for (String piece : pieces(c.arguments())) {
                    JsonObject more = new JsonObject();
                    more.addProperty("arguments", piece);
                    JsonObject next = new JsonObject();
                    next.addProperty("index", 0);
                    next.add("function", more);
                    chunk(response, toolCalls(next), null);
                }
                chunk(response, new JsonObject(), "tool_calls");
            }
        }
        JsonObject usage = new JsonObject();
        usage.addProperty("prompt_tokens", 120);
        usage.addProperty("completion_tokens", 30);
        usage.addProperty("total_tokens", 150);
        JsonObject last = envelope();
        last.add("choices", new JsonArray());
        last.add("usage", usage);
        write(response, "data: " + last + "\n\n");
        write(response, "data: [DONE]\n\n");
    }

    private static JsonObject delta(String field, String text) {
        JsonObject delta = new JsonObject();
        delta.addProperty("role", "assistant");
        delta.addProperty(field, text);
        return delta;
    }

    private static JsonObject toolCalls(JsonObject call) {
        JsonArray calls = new JsonArray();
        calls.add(call);
        JsonObject delta = new JsonObject();
        delta.add("tool_calls", calls);
        return delta;
    }

    private static void chunk(Response response, JsonObject delta, String finishReason) throws Exception {
        JsonObject choice = new JsonObject();
        choice.addProperty("index", 0);
        choice.add("delta", delta);
        if (finishReason == null) {
            choice.add("finish_reason", com.google.gson.JsonNull.INSTANCE);
        } else {
            choice.addProperty("finish_reason", finishReason);
        }
        JsonArray choices = new JsonArray();
        choices.add(choice);
        JsonObject chunk = envelope();
        chunk.add("choices", choices);
        write(response, "data: " + chunk + "\n\n");
    }

    private static JsonObject envelope() {
        JsonObject o = new JsonObject();
        o.addProperty("id", "chatcmpl-fake");
        o.addProperty("object", "chat.completion.chunk");
        o.addProperty("created", 1_796_166_399L);
        o.addProperty("model", MODEL);
        return o;
    }

    /** Splits into pieces of eight characters, as a provider's stream splits text at token boundaries. */
    private static List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < text.length(); i += 8) {
            out.add(text.substring(i, Math.min(text.length(), i + 8)));
        }
        return out;
    }

    private static void pause(Duration pause) throws InterruptedException {
        if (!pause.isZero()) {
            Thread.sleep(pause.toMillis());
        }
    }

    private static void write(Response response, String text) throws Exception {
        Callback.Completable done = new Callback.Completable();
        response.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), done);
        done.get();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
