package org.agentchannels.core.presence;

/**
 * A session live on another device's gateway that this device can attach to.
 *
 * @param sessionId the runtime id on the remote gateway ({@code session.activate})
 * @param sessionKey the stored id there ({@code session.resume} fallback), possibly empty
 * @param endpoint the trimmed, dialable WebSocket URL of that gateway
 * @param title the session's title, possibly empty (the UI shows its own "untitled" label)
 * @param host the remote device's label from the record
 * @param status the raw status word of the record, {@code "idle"} when absent
 * @param updatedAt epoch seconds of the record's last refresh
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
        long messageCount) {

    public SessionActivity activity() {
        return SessionActivity.fromStatus(status);
    }
}
