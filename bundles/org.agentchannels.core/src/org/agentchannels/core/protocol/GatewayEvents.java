package org.agentchannels.core.protocol;

import java.util.ArrayList;
import java.util.List;

import org.agentchannels.core.DeviceNames;

import com.google.gson.JsonObject;

/** Reads the typed {@link GatewayEvent} out of an event frame, and blocking prompts out of server requests. */
public final class GatewayEvents {

    /** Keys of {@code gateway.ready} that announce our gateway's additions. */
    public static final String READY_EVENT_SEQ = "event_seq";
    public static final String READY_SUBMISSION_IDS = "submission_ids";
    public static final String READY_QUEUES_PROMPTS = "queues_prompts";

    private GatewayEvents() {
    }

    public static GatewayEvent parse(Frame.Event event) {
        JsonObject p = event.payload();
        return switch (event.type()) {
            case "gateway.ready" -> new GatewayEvent.GatewayReady(DeviceNames.sanitize(Json.text(p, "device_name")),
                    Json.flag(p, "heartbeat"), Json.flag(p, READY_EVENT_SEQ), Json.flag(p, READY_SUBMISSION_IDS),
                    Json.flag(p, READY_QUEUES_PROMPTS), Json.text(p, "replay_epoch"));
            case "message.start" -> new GatewayEvent.MessageStart();
            case "message.delta" -> new GatewayEvent.MessageDelta(Json.text(p, "text"));
            case "reasoning.delta", "thinking.delta" -> new GatewayEvent.ReasoningDelta(Json.text(p, "text"));
            case "message.complete" -> new GatewayEvent.MessageComplete(Json.text(p, "text"),
                    Json.text(p, "status").isEmpty() ? "complete" : Json.text(p, "status"), Json.text(p, "reasoning"),
                    Json.firstText(p, "error", "warning"), Json.object(p, "usage"));
            case "tool.generating" -> new GatewayEvent.ToolGenerating(Json.text(p, "name"));
            case "tool.start" -> new GatewayEvent.ToolStart(Json.text(p, "tool_id"), Json.text(p, "name"),
                    Json.text(p, "context"));
            case "tool.complete" -> new GatewayEvent.ToolComplete(Json.text(p, "tool_id"), Json.text(p, "name"),
                    Json.firstText(p, "summary", "result_text"), Json.decimal(p, "duration_s", 0));
            case "status.update" -> new GatewayEvent.StatusUpdate(Json.text(p, "kind"), Json.text(p, "text"));
            case "session.info" -> new GatewayEvent.SessionInfo(Json.text(p, "model"), Json.optionalFlag(p, "running"));
            case "session.title" -> new GatewayEvent.SessionTitle(Json.text(p, "title"));
            case "session.participants" -> new GatewayEvent.Participants(Participant.listFrom(p));
            case "approval.request", "clarify.request", "sudo.request", "secret.request" -> new GatewayEvent.InputRequested(
                    inputRequest(event.type().substring(0, event.type().indexOf('.')), event.sessionId(), p, null));
            case "request.cancel" -> new GatewayEvent.InputResolved(Json.firstText(p, "request_id", "id"));
            case "error" -> new GatewayEvent.Error(Json.text(p, "message"));
            default -> new GatewayEvent.Unknown(event.type());
        };
    }

    /**
     * A blocking prompt sent as a server-to-client request (newer Hermes line): method {@code approval},
     * {@code clarify}, {@code sudo} or {@code secret}.
     *
     * @return the request, or {@code null} when the method is not one of these
     */
    public static InputRequest serverRequest(Frame.Request request) {
        InputRequest.Kind kind = InputRequest.Kind.fromWireName(request.method());
        if (kind == null) {
            return null;
        }
        return inputRequest(kind.wireName(), Json.text(request.params(), "session_id"), request.params(), request.id());
    }

    private static InputRequest inputRequest(String stem, String sessionId, JsonObject p,
            com.google.gson.JsonElement rpcId) {
        InputRequest.Kind kind = InputRequest.Kind.fromWireName(stem);
        String prompt;
        List<String> choices = new ArrayList<>(Json.texts(p, "choices"));
        switch (kind) {
            case APPROVAL -> {
                String command = Json.text(p, "command");
                String description = Json.text(p, "description");
                prompt = command.isEmpty() ? description : description.isEmpty() ? command : description + "\n" + command;
                if (choices.isEmpty()) {
                    choices.addAll(List.of("once", "session", "deny"));
                    if (!p.has("allow_permanent") || Json.flag(p, "allow_permanent")) {
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
            case SUDO -> prompt = Json.text(p, "prompt");
            default -> prompt = "";
        }
        boolean allowPermanent = !p.has("allow_permanent") || Json.flag(p, "allow_permanent");
        return new InputRequest(kind, sessionId, Json.text(p, "request_id"), prompt, choices, allowPermanent, rpcId);
    }
}
