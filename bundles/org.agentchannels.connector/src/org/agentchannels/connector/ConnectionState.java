package org.agentchannels.connector;

/** Where a connection to one gateway stands. */
public sealed interface ConnectionState {

    /** Not connected and not trying: never dialed, or closed on purpose. */
    record Disconnected() implements ConnectionState {
    }

    /** Dialing for the first time. */
    record Connecting() implements ConnectionState {
    }

    /** Open, and the gateway has said {@code gateway.ready}. */
    record Connected() implements ConnectionState {
    }

    /** The connection dropped; the {@code attempt}-th redial is due in {@code delayMillis}. */
    record Reconnecting(int attempt, long delayMillis, String reason) implements ConnectionState {
    }

    /** Given up until someone dials again; {@code reason} is readable and never holds a token. */
    record Failed(GatewayException.Kind kind, String reason) implements ConnectionState {
    }

    default boolean isConnected() {
        return this instanceof Connected;
    }
}
