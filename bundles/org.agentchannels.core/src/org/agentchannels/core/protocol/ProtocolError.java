package org.agentchannels.core.protocol;

/**
 * Why a frame could not be read. A malformed frame is a value handed to whoever reads frames, never an
 * exception thrown at them: one bad frame from a peer must not break the connection's reader.
 *
 * @param kind what went wrong, for code that reacts to it
 * @param message a one-line description for logs; it never quotes the frame (which may hold a token)
 */
public record ProtocolError(Kind kind, String message) {

    public enum Kind {
        /** The text is not JSON at all, or JSON with trailing garbage. */
        NOT_JSON,
        /** Valid JSON, but not an object. */
        NOT_AN_OBJECT,
        /** An object that is not a JSON-RPC 2.0 request, response or notification. */
        INVALID_MESSAGE,
        /** Larger than the codec's frame limit. */
        TOO_LARGE,
        /** Nested deeper than the codec's limit. */
        TOO_DEEP,
        /** Empty after trimming. */
        EMPTY
    }

    /** The JSON-RPC error code a server answers this problem with. */
    public int jsonRpcCode() {
        return switch (kind) {
            case NOT_JSON, TOO_DEEP, EMPTY, TOO_LARGE -> JsonRpcCodes.PARSE_ERROR;
            case NOT_AN_OBJECT, INVALID_MESSAGE -> JsonRpcCodes.INVALID_REQUEST;
        };
    }
}
