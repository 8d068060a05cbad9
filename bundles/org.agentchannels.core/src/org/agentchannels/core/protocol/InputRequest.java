package org.agentchannels.core.protocol;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonObject;

/**
 * The agent waits for a person: an approval, a clarification, a password or a secret. June-line gateways
 * send these as {@code *.request} events answered with {@code *.respond}; the newer line sends a JSON-RPC
 * request ({@code rpcId} set) answered with a response.
 *
 * @param requestId the gateway's {@code request_id}; empty for June-line approvals, which are keyed by session
 * @param prompt the question, or for an approval the command and its description
 * @param choices the offered answers, possibly empty (free text)
 * @param allowPermanent for an approval: whether "always" may be offered
 * @param rpcId the id of the server-to-client request, or {@code null} for the event style
 */
public record InputRequest(Kind kind, String sessionId, String requestId, String prompt, List<String> choices,
        boolean allowPermanent, RequestId rpcId) {

    public enum Kind {
        APPROVAL("approval"), CLARIFY("clarify"), SUDO("sudo"), SECRET("secret");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        /** {@code approval}, {@code clarify}, ...: the stem of the event and method names. */
        public String wireName() {
            return wireName;
        }

        /** @return the kind named {@code stem}, or {@code null} */
        public static Kind fromWireName(String stem) {
            for (Kind k : values()) {
                if (k.wireName.equals(stem)) {
                    return k;
                }
            }
            return null;
        }
    }

    public InputRequest {
        sessionId = sessionId == null ? "" : sessionId;
        requestId = requestId == null ? "" : requestId;
        prompt = prompt == null ? "" : prompt;
        choices = choices == null ? List.of() : List.copyOf(choices);
    }

    /** One key per pending request, whichever style it came in. */
    public String key() {
        if (rpcId != null) {
            return "rpc:" + rpcId;
        }
        return kind.wireName + ":" + (requestId.isEmpty() ? sessionId : requestId);
    }

    /**
     * Reads a blocking prompt from an event payload or a server request's params, as either Hermes line words it.
     * An approval that offers no choices gets Hermes' own ({@code once}, {@code session}, {@code always} unless
     * {@code allow_permanent} is false, {@code deny}).
     */
    public static InputRequest fromPayload(Kind kind, String sessionId, JsonObject p, RequestId rpcId) {
        String prompt;
        List<String> choices = new ArrayList<>(Json.texts(p, "choices"));
        boolean allowPermanent = !p.has("allow_permanent") || Json.flag(p, "allow_permanent");
        switch (kind) {
            case APPROVAL -> {
                String command = Json.text(p, "command");
                String description = Json.text(p, "description");
                prompt = command.isEmpty() ? description : description.isEmpty() ? command : description + "\n" + command;
                if (choices.isEmpty()) {
                    choices.addAll(List.of("once", "session", "deny"));
                    if (allowPermanent) {
                        choices.add(2, "always");
                    }
                }
            }
            case CLARIFY -> {
                String question = Json.text(p, "question");
                if (question.isEmpty()) {
                    // the newer line asks several questions at once; show the first, answer as free text
                    List<JsonObject> questions = Json.objects(p, "questions");
                    if (!questions.isEmpty()) {
                        question = Json.text(questions.get(0), "question");
                        choices.addAll(Json.texts(questions.get(0), "choices"));
                    }
                }
                prompt = question;
            }
            case SECRET -> prompt = Json.firstText(p, "prompt", "env_var");
            default -> prompt = Json.text(p, "prompt");
        }
        return new InputRequest(kind, sessionId, Json.text(p, "request_id"), prompt, choices, allowPermanent, rpcId);
    }

    /** The payload of the June-line {@code *.request} event, as {@link #fromPayload} reads it back. */
    public JsonObject toPayload() {
        JsonObject p = new JsonObject();
        Json.putText(p, "request_id", requestId);
        switch (kind) {
            case APPROVAL -> {
                p.addProperty("command", prompt);
                p.addProperty("allow_permanent", allowPermanent);
                if (!choices.isEmpty()) {
                    p.add("choices", Json.array(choices));
                }
            }
            case CLARIFY -> {
                p.addProperty("question", prompt);
                p.add("choices", Json.array(choices));
            }
            default -> p.addProperty("prompt", prompt);
        }
        return p;
    }
}
