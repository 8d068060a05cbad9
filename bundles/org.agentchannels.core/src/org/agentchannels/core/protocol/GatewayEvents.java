package org.agentchannels.core.protocol;

import org.agentchannels.core.DeviceNames;
import org.agentchannels.core.DisplayText;

import com.google.gson.JsonObject;

/** Reads the typed {@link GatewayEvent} out of an event frame and writes one into a frame; reads blocking prompts out of server requests. */
public final class GatewayEvents {

    private GatewayEvents() {
    }

    public static GatewayEvent parse(Frame.Event event) {
        JsonObject p = event.payload();
        return switch (event.type()) {
            case EventTypes.GATEWAY_READY -> new GatewayEvent.GatewayReady(DeviceNames.sanitize(Json.text(p, "device_name")),
                    Json.flag(p, "heartbeat"), Json.flag(p, GatewayEvent.GatewayReady.EVENT_SEQ), Json.flag(p, GatewayEvent.GatewayReady.SUBMISSION_IDS),
                    Json.flag(p, GatewayEvent.GatewayReady.QUEUES_PROMPTS), Json.text(p, "replay_epoch"),
                    OfferedAgent.listFrom(p, "agents"), workspaces(p),
                    Json.flag(p, GatewayEvent.GatewayReady.INSECURE_PLAINTEXT));
            case EventTypes.MESSAGE_START -> new GatewayEvent.MessageStart(Json.text(p, "input"),
                    DeviceNames.sanitize(Json.text(p, "sender_device")), Json.text(p, "submission_id"));
            case EventTypes.MESSAGE_DELTA -> new GatewayEvent.MessageDelta(Json.text(p, "text"));
            case EventTypes.REASONING_DELTA -> new GatewayEvent.ReasoningDelta(Json.text(p, "text"));
            case EventTypes.THINKING_DELTA -> new GatewayEvent.Spinner(Json.text(p, "text"));
            case EventTypes.MESSAGE_COMPLETE -> new GatewayEvent.MessageComplete(Json.text(p, "text"),
                    Json.text(p, "status").isEmpty() ? "complete" : Json.text(p, "status"), Json.text(p, "reasoning"),
                    Json.firstText(p, "error", "warning"), Json.object(p, "usage"));
            case EventTypes.TOOL_GENERATING -> new GatewayEvent.ToolGenerating(Json.text(p, "name"));
            case EventTypes.TOOL_START -> new GatewayEvent.ToolStart(Json.text(p, "tool_id"), toolTitle(p),
                    Json.text(p, "context"), toolStatus(p), ToolCall.readFrom(p));
            case EventTypes.TOOL_UPDATE -> new GatewayEvent.ToolUpdate(Json.text(p, "tool_id"), toolTitle(p),
                    Json.text(p, "context"), toolStatus(p), ToolCall.readFrom(p));
            case EventTypes.PLAN_UPDATE -> new GatewayEvent.PlanUpdate(PlanEntry.listFrom(p));
            case EventTypes.SESSION_COMMANDS -> new GatewayEvent.SessionCommands(SlashCommand.listFrom(p, "commands"));
            case EventTypes.TOOL_COMPLETE -> new GatewayEvent.ToolComplete(Json.text(p, "tool_id"), Json.text(p, "name"),
                    Json.firstText(p, "summary", "result_text"), Json.decimal(p, "duration_s", 0));
            case EventTypes.STATUS_UPDATE -> new GatewayEvent.StatusUpdate(Json.text(p, "kind"), Json.text(p, "text"));
            case EventTypes.SESSION_INFO -> new GatewayEvent.SessionInfo(
                    DisplayText.oneLine(Json.text(p, "model"), DisplayText.MAX_TITLE_LENGTH), Json.optionalFlag(p, "running"),
                    Json.text(p, "status"), SignIn.from(p));
            case EventTypes.SESSION_NOTE -> new GatewayEvent.SystemNote(Json.text(p, "text"), Json.text(p, "kind"));
            case EventTypes.SESSION_TITLE -> new GatewayEvent.SessionTitle(DisplayText.title(Json.text(p, "title")), Json.text(p, "session_id"));
            case EventTypes.SESSION_PARTICIPANTS -> new GatewayEvent.Participants(Participant.listFrom(p));
            case EventTypes.REQUEST_CANCEL -> new GatewayEvent.InputResolved(Json.firstText(p, "request_id", "id"),
                    DeviceNames.sanitize(Json.text(p, "answered_by")), DisplayText.oneLine(Json.text(p, "answer"), 200));
            case EventTypes.ERROR -> new GatewayEvent.Error(Json.text(p, "message"));
            default -> {
                InputRequest.Kind kind = event.type().endsWith(EventTypes.REQUEST_SUFFIX) ? InputRequest.Kind.fromWireName(
                        event.type().substring(0, event.type().length() - EventTypes.REQUEST_SUFFIX.length())) : null;
                yield kind == null ? new GatewayEvent.Unknown(event.type())
                        : new GatewayEvent.InputRequested(InputRequest.fromPayload(kind, event.sessionId(), p, null));
            }
        };
    }

    private static String toolTitle(JsonObject p) {
        return DisplayText.oneLine(Json.text(p, "name"), TranscriptRow.MAX_TOOL_TITLE);
    }

    private static String toolStatus(JsonObject p) {
        return DisplayText.oneLine(Json.text(p, "status"), 20);
    }

    /** The workspace roots of a ready frame, as text a person is shown: cleaned, no empty or repeated ones, bounded. */
    private static java.util.List<String> workspaces(JsonObject p) {
        java.util.LinkedHashSet<String> roots = new java.util.LinkedHashSet<>();
        for (String root : Json.texts(p, "workspaces")) {
            String clean = DisplayText.oneLine(root, 4096);
            if (!clean.isEmpty() && roots.size() < GatewayEvent.GatewayReady.MAX_WORKSPACES) {
                roots.add(clean);
            }
        }
        return java.util.List.copyOf(roots);
    }

    /**
     * The frame of {@code event} for {@code sessionId} ({@code ""} for events of the connection), numbered with
     * {@code seq} ({@code -1}: not numbered, as every Hermes gateway).
     */
    public static Frame.Event frame(String sessionId, GatewayEvent event, long seq) {
        return FrameCodec.event(event.type(), sessionId, event.toJson(), seq);
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
        return InputRequest.fromPayload(kind, Json.text(request.params(), "session_id"), request.params(), RequestId.of(request));
    }
}
