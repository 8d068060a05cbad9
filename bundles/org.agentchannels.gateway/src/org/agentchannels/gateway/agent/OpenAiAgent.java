package org.agentchannels.gateway.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.agentchannels.core.protocol.Json;
import org.agentchannels.core.protocol.TranscriptRow;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Any OpenAI-compatible chat-completions endpoint, streamed (server-sent events): each {@code delta.content}
 * becomes a {@code message.delta}, the final {@code usage} goes into {@code message.complete}. The API key
 * comes from the environment and is sent only in the {@code Authorization} header, never logged.
 */
public final class OpenAiAgent implements Agent {

    private final URI completions;
    private final String model;
    private final String apiKey;
    private final HttpClient http;

    /**
     * @param baseUrl for example {@code https://api.openai.com/v1} or a local server's {@code http://127.0.0.1:8000/v1}
     * @param apiKey may be empty for local servers that need none
     */
    public OpenAiAgent(String baseUrl, String model, String apiKey) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("the openai agent needs a base URL (openai-base-url)");
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("the openai agent needs a model name (openai-model)");
        }
        String base = baseUrl.strip();
        this.completions = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/chat/completions");
        this.model = model.strip();
        this.apiKey = apiKey == null ? "" : apiKey.strip();
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public Turn start(Request request, Sink sink) {
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicReference<InputStream> body = new AtomicReference<>();
        Thread thread = TurnThreads.start("agentchannels-openai-" + request.sessionId(), sink,
                () -> run(request, sink, interrupted, body));
        return () -> {
            interrupted.set(true);
            InputStream in = body.get();
            if (in != null) {
                try {
                    in.close(); // ends the read and the HTTP exchange
                } catch (IOException e) {
                    // closing anyway
                }
            }
            thread.interrupt();
        };
    }

    private JsonObject payload(Request request) {
        JsonArray messages = new JsonArray();
        for (TranscriptRow row : request.history()) {
            if (TranscriptRow.USER.equals(row.role()) || TranscriptRow.ASSISTANT.equals(row.role())) {
                if (row.text().isEmpty()) {
                    continue;
                }
                JsonObject m = new JsonObject();
                m.addProperty("role", row.role());
                m.addProperty("content", row.text());
                messages.add(m);
            }
        }
        JsonObject prompt = new JsonObject();
        prompt.addProperty("role", "user");
        prompt.addProperty("content", request.prompt());
        messages.add(prompt);
        JsonObject o = new JsonObject();
        o.addProperty("model", model);
        o.addProperty("stream", true);
        JsonObject options = new JsonObject();
        options.addProperty("include_usage", true);
        o.add("stream_options", options);
        o.add("messages", messages);
        return o;
    }

    private void run(Request request, Sink sink, AtomicBoolean interrupted, AtomicReference<InputStream> body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(completions).timeout(Duration.ofMinutes(10))
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(payload(request).toString(), StandardCharsets.UTF_8));
        if (!apiKey.isEmpty()) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        JsonObject usage = new JsonObject();
        try {
            HttpResponse<InputStream> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            body.set(response.body());
            if (interrupted.get()) {
                response.body().close();
            }
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                if (response.statusCode() / 100 != 2) {
                    StringBuilder text = new StringBuilder();
                    String line;
                    while ((line = lines.readLine()) != null && text.length() < 2000) {
                        text.append(line);
                    }
                    sink.complete(Result.error("the model endpoint answered HTTP " + response.statusCode() + errorMessage(text.toString())));
                    return;
                }
                String line;
                while ((line = lines.readLine()) != null) {
                    if (!line.startsWith("data:")) {
                        continue;
                    }
                    String data = line.substring(5).strip();
                    if (data.equals("[DONE]")) {
                        break;
                    }
                    JsonObject chunk;
                    try {
                        chunk = JsonParser.parseString(data).getAsJsonObject();
                    } catch (JsonParseException | IllegalStateException e) {
                        continue; // a keep-alive or a line this client does not know
                    }
                    if (chunk.get("usage") instanceof JsonObject u) {
                        usage = u;
                    }
                    for (JsonObject choice : Json.objects(chunk, "choices")) {
                        JsonObject delta = Json.object(choice, "delta");
                        String reasoning = Json.firstText(delta, "reasoning_content", "reasoning");
                        if (!reasoning.isEmpty()) {
                            sink.reasoning(reasoning);
                        }
                        String content = Json.text(delta, "content");
                        if (!content.isEmpty()) {
                            sink.delta(content);
                        }
                    }
                }
            }
            sink.complete(interrupted.get() ? Result.interrupted() : Result.complete(usage));
        } catch (IOException e) {
            sink.complete(interrupted.get() ? Result.interrupted()
                    : Result.error("the model endpoint " + completions.getHost() + " failed: " + describe(e)));
        } catch (InterruptedException e) {
            sink.complete(Result.interrupted());
        }
    }

    private static String describe(IOException e) {
        return e instanceof java.net.ConnectException ? "connection refused"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String errorMessage(String body) {
        try {
            String message = Json.text(Json.object(JsonParser.parseString(body).getAsJsonObject(), "error"), "message");
            return message.isEmpty() ? "" : ": " + message;
        } catch (RuntimeException e) {
            return "";
        }
    }
}
