package org.agentchannels.core.protocol;

/** The error codes of JSON-RPC 2.0 and of the Hermes gateway (protocol notes, section 1). */
public final class JsonRpcCodes {

    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;
    public static final int HANDLER_ERROR = -32000;

    /** No live session with this runtime id ({@code session.activate}, {@code prompt.submit}, ...). */
    public static final int SESSION_NOT_FOUND = 4001;
    public static final int BAD_VALUE = 4002;
    public static final int SESSION_ID_REQUIRED = 4006;
    /** No stored session with this id ({@code session.resume}). */
    public static final int STORED_SESSION_NOT_FOUND = 4007;
    /** A turn is running (June line), or no request of that kind is pending. */
    public static final int SESSION_BUSY = 4009;
    public static final int AGENT_FAILURE = 5000;
    /** The gateway's session database failed (Hermes uses 5006 for its DB failures too). */
    public static final int STORE_FAILED = 5006;

    /** WebSocket close codes the gateway uses before accepting. */
    public static final int CLOSE_UNAUTHORIZED = 4401;
    public static final int CLOSE_FORBIDDEN = 4403;
    /**
     * WebSocket "try again later": our gateway closes a client that fell too far behind (more unsent than it keeps
     * for one client); the client redials and re-attaches, getting what it missed by replay or snapshot.
     */
    public static final int CLOSE_TRY_AGAIN_LATER = 1013;

    private JsonRpcCodes() {
    }
}
