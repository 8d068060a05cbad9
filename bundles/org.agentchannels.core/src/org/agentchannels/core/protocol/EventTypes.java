package org.agentchannels.core.protocol;

/** The {@code params.type} of every gateway event this product reads or writes (protocol notes, section 2). */
public final class EventTypes {

    public static final String GATEWAY_READY = "gateway.ready";
    public static final String MESSAGE_START = "message.start";
    public static final String MESSAGE_DELTA = "message.delta";
    public static final String REASONING_DELTA = "reasoning.delta";
    /**
     * Hermes' status spinner while a turn runs (a kaomoji and a verb, "(¬_¬) pondering...", then empty to clear
     * it), never reasoning: that comes as {@link #REASONING_DELTA}.
     */
    public static final String THINKING_DELTA = "thinking.delta";
    public static final String MESSAGE_COMPLETE = "message.complete";
    public static final String TOOL_GENERATING = "tool.generating";
    public static final String TOOL_START = "tool.start";
    public static final String TOOL_COMPLETE = "tool.complete";
    /** Ours: a tool row's whole new state. */
    public static final String TOOL_UPDATE = "tool.update";
    /** Ours: the running turn's plan. */
    public static final String PLAN_UPDATE = "plan.update";
    /** Ours: the commands a session's agent offers. */
    public static final String SESSION_COMMANDS = "session.commands";
    public static final String STATUS_UPDATE = "status.update";
    public static final String SESSION_INFO = "session.info";
    public static final String SESSION_TITLE = "session.title";
    public static final String SESSION_PARTICIPANTS = "session.participants";
    /** A note of our gateway's that becomes a {@code system} row ({@link GatewayEvent.SystemNote}). */
    public static final String SESSION_NOTE = "session.note";
    public static final String REQUEST_CANCEL = "request.cancel";
    public static final String ERROR = "error";
    /** Suffix of the June-line blocking prompts: {@code approval.request}, {@code clarify.request}, ... */
    public static final String REQUEST_SUFFIX = ".request";

    private EventTypes() {
    }

    /** {@code approval.request} and its siblings. */
    public static String inputRequest(InputRequest.Kind kind) {
        return kind.wireName() + REQUEST_SUFFIX;
    }
}
