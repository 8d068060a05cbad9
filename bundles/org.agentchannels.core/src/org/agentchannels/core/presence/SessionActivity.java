package org.agentchannels.core.presence;

import java.util.Locale;

/** What a session is doing, as far as a viewer needs to know. */
public enum SessionActivity {
    /** A turn is running. */
    WORKING,
    /** The agent waits for a person: an approval, a clarification, a secret. */
    NEEDS_INPUT,
    /** The agent is still being built or resumed. */
    STARTING,
    /**
     * The agent cannot go on until someone signs it in on the gateway's device (our gateway; a Hermes client
     * reads the word as idle).
     */
    NEEDS_SIGN_IN,
    /** Nothing is running. */
    IDLE;

    /** The word a gateway writes for this state (Hermes' {@code _session_live_status}). */
    public String wireWord() {
        return switch (this) {
            case WORKING -> "working";
            case NEEDS_INPUT -> "waiting";
            case STARTING -> "starting";
            case NEEDS_SIGN_IN -> "needs_sign_in";
            case IDLE -> "idle";
        };
    }

    /** Maps the status words of both Hermes lines; anything unknown or empty is {@link #IDLE}. */
    public static SessionActivity fromStatus(String status) {
        if (status == null) {
            return IDLE;
        }
        return switch (status.trim().toLowerCase(Locale.ROOT)) {
            case "working", "busy", "streaming", "running" -> WORKING;
            case "waiting", "needs_input", "needs-input" -> NEEDS_INPUT;
            case "starting", "resuming" -> STARTING;
            case "needs_sign_in", "needs-sign-in" -> NEEDS_SIGN_IN;
            default -> IDLE;
        };
    }

    /** The seed's keep rule: a remote gateway serving a session in this state stays connected. */
    public boolean keepsGatewayConnected() {
        return this == WORKING || this == NEEDS_INPUT;
    }
}
