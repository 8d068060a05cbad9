package org.agentchannels.core.presence;

import java.util.Optional;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * One presence record as a Hermes gateway writes it (schema version 1): a live session on some gateway,
 * announced with its dialable {@code endpoint} (or {@code ""}) and refreshed until {@code expiresAt}.
 * Times are epoch seconds, as on the wire. Absent text fields are {@code ""}, absent numbers 0.
 */
public record PresenceRecord(
        int version,
        String sessionId,
        String sessionKey,
        String status,
        String title,
        String model,
        String cwd,
        String source,
        String client,
        String profile,
        String endpoint,
        String host,
        long pid,
        String instanceId,
        double updatedAt,
        double expiresAt,
        long messageCount) {

    /** Seconds a record lives after its last refresh when it does not say ({@code expires_at} absent). */
    public static final double DEFAULT_TTL_SECONDS = 90;

    public PresenceRecord {
        sessionId = nonNull(sessionId);
        sessionKey = nonNull(sessionKey);
        status = nonNull(status);
        title = nonNull(title);
        model = nonNull(model);
        cwd = nonNull(cwd);
        source = nonNull(source);
        client = nonNull(client);
        profile = nonNull(profile);
        endpoint = nonNull(endpoint);
        host = nonNull(host);
        instanceId = nonNull(instanceId);
    }

    /**
     * Reads a record leniently: unknown fields are ignored and a field of the wrong type counts as absent.
     *
     * @return the record, or empty when {@code json} is not a JSON object
     */
    public static Optional<PresenceRecord> fromJson(JsonElement json) {
        if (json == null || !json.isJsonObject()) {
            return Optional.empty();
        }
        JsonObject o = json.getAsJsonObject();
        JsonObject metadata = o.get("metadata") instanceof JsonObject m ? m : new JsonObject();
        String sessionKey = text(o, "session_key");
        if (sessionKey.isEmpty()) {
            sessionKey = text(metadata, "session_key");
        }
        return Optional.of(new PresenceRecord(
                (int) number(o, "version"),
                text(o, "session_id"),
                sessionKey,
                text(o, "status"),
                text(o, "title"),
                text(o, "model"),
                text(o, "cwd"),
                text(o, "source"),
                text(o, "client"),
                text(o, "profile"),
                text(o, "endpoint"),
                text(o, "host"),
                (long) number(o, "pid"),
                text(o, "instance_id"),
                number(o, "updated_at"),
                number(o, "expires_at"),
                (long) number(metadata, "message_count")));
    }

    /** The moment after which this record is stale, in epoch seconds; 0 when the record carries no time at all. */
    public double expiry() {
        if (expiresAt > 0) {
            return expiresAt;
        }
        return updatedAt > 0 ? updatedAt + DEFAULT_TTL_SECONDS : 0;
    }

    /** @return whether the record has expired at {@code nowEpochSeconds} */
    public boolean isExpired(double nowEpochSeconds) {
        double expiry = expiry();
        return expiry > 0 && expiry <= nowEpochSeconds;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static String text(JsonObject o, String key) {
        return o.get(key) instanceof JsonPrimitive p && p.isString() ? p.getAsString() : "";
    }

    private static double number(JsonObject o, String key) {
        if (o.get(key) instanceof JsonPrimitive p && p.isNumber()) {
            double d = p.getAsDouble();
            return Double.isFinite(d) ? d : 0;
        }
        return 0;
    }
}
