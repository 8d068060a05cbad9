package org.agentchannels.gateway.agent;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.agentchannels.core.protocol.InputRequest;

/**
 * The built-in offline agent, so a gateway works on a machine with no model: it streams back a deterministic
 * reply word by word. {@code /ask QUESTION} asks a clarifying question first and {@code /approve COMMAND} an
 * approval, so the whole protocol can be tried without a model.
 */
public final class EchoAgent implements Agent {

    private final String deviceName;
    private final long millisPerWord;

    /** @param millisPerWord pause between words, so the streaming can be watched; 0 in tests */
    public EchoAgent(String deviceName, long millisPerWord) {
        this.deviceName = deviceName;
        this.millisPerWord = millisPerWord;
    }

    @Override
    public String model() {
        return "echo (built-in, offline)";
    }

    /** The reply to {@code prompt}, without the pauses. */
    public String reply(String prompt, String answer) {
        String prefix = "Echo from " + (deviceName.isEmpty() ? "this gateway" : deviceName) + ": ";
        return answer == null ? prefix + prompt : prefix + prompt + " (answered: " + answer + ")";
    }

    @Override
    public Turn start(Request request, Sink sink) {
        AtomicBoolean stop = new AtomicBoolean();
        Thread thread = TurnThreads.start("agentchannels-echo-" + request.sessionId(), sink, () -> run(request, sink, stop));
        return () -> {
            stop.set(true);
            thread.interrupt();
        };
    }

    private void run(Request request, Sink sink, AtomicBoolean stop) {
        try {
            String prompt = request.prompt().strip();
            String answer = null;
            if (prompt.startsWith("/ask ")) {
                answer = sink.ask(InputRequest.Kind.CLARIFY, prompt.substring(5).strip(), List.of("yes", "no")).get();
            } else if (prompt.startsWith("/approve ")) {
                sink.tool("terminal", prompt.substring(9).strip());
                answer = sink.ask(InputRequest.Kind.APPROVAL, prompt.substring(9).strip(), List.of()).get();
            }
            String[] words = reply(prompt, answer).split("(?<= )");
            for (String word : words) {
                if (stop.get()) {
                    sink.complete(Result.interrupted());
                    return;
                }
                sink.delta(word);
                if (millisPerWord > 0) {
                    Thread.sleep(millisPerWord);
                }
            }
            sink.complete(Result.complete(null));
        } catch (InterruptedException | ExecutionException | java.util.concurrent.CancellationException e) {
            sink.complete(Result.interrupted());
        }
    }
}
