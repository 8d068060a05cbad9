package org.agentchannels.core.presence;

import java.util.List;

import org.agentchannels.core.protocol.SignIn;

/**
 * A session live on another device's gateway that this device can attach to.
 *
 * @param sessionId the runtime id on the remote gateway ({@code session.activate})
 * @param sessionKey the stored id there ({@code session.resume} fallback), possibly empty
 * @param endpoint the trimmed, dialable WebSocket URL of that gateway; empty when the session is
 *        {@linkplain #isConflicting() claimed by more than one gateway}
 * @param title the session's title, possibly empty (the UI shows its own "untitled" label)
 * @param host the remote device's label from the record
 * @param status the raw status word of the record, {@code "idle"} when absent
 * @param updatedAt epoch seconds of the record's last refresh
 * @param conflictingEndpoints when records from more than one gateway claim this session id, every one of
 *        their endpoints, sorted; empty otherwise
 * @param signIn what the session's agent needs to be signed in, from the record; {@code null} when nothing
 */
public record RemoteSession(
        String sessionId,
        String sessionKey,
        String endpoint,
        String title,
        String host,
        String model,
        String status,
        String cwd,
        double updatedAt,
        double expiresAt,
        long messageCount,
        List<String> conflictingEndpoints,
        SignIn signIn) {

    public RemoteSession {
        conflictingEndpoints = conflictingEndpoints == null ? List.of() : List.copyOf(conflictingEndpoints);
    }

    /** A session whose agent needs no sign-in. */
    public RemoteSession(String sessionId, String sessionKey, String endpoint, String title, String host, String model,
            String status, String cwd, double updatedAt, double expiresAt, long messageCount,
            List<String> conflictingEndpoints) {
        this(sessionId, sessionKey, endpoint, title, host, model, status, cwd, updatedAt, expiresAt, messageCount,
                conflictingEndpoints, null);
    }

    /** A session that one gateway alone claims. */
    public RemoteSession(String sessionId, String sessionKey, String endpoint, String title, String host, String model,
            String status, String cwd, double updatedAt, double expiresAt, long messageCount) {
        this(sessionId, sessionKey, endpoint, title, host, model, status, cwd, updatedAt, expiresAt, messageCount, List.of());
    }

    /**
     * Whether records from more than one gateway claim this session. Which one is right cannot be told from the
     * records (any of them may be planted, and times are what the writer says), so such a session is dialled at
     * none of them: it has no {@link #endpoint()} until only one gateway claims it again.
     */
    public boolean isConflicting() {
        return !conflictingEndpoints.isEmpty();
    }

    public SessionActivity activity() {
        return SessionActivity.fromStatus(status);
    }
}
