package org.agentchannels.core.presence;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.agentchannels.core.DeviceNames;
import org.agentchannels.core.Fingerprints;
import org.agentchannels.core.DisplayText;
import org.agentchannels.core.protocol.Json;
import org.agentchannels.core.protocol.SignIn;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * One presence record as a Hermes gateway writes it (schema version 1): a live session on some gateway,
 * announced with its dialable {@code endpoint} (or {@code ""}) and refreshed until {@code expiresAt}.
 * Times are epoch seconds, as on the wire. Absent text fields are {@code ""}, absent numbers 0.
 *
 * @param signIn what the session's agent needs to be signed in (our gateway's {@code sign_in}), else {@code null}
 * @param fingerprint our gateway's certificate fingerprint ({@link Fingerprints}), not a secret; {@code ""} when the
 *        record carries none (a Hermes gateway's, an older one's) or one not in that form
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
        long messageCount,
        SignIn signIn,
        String fingerprint) {

    /** Seconds a record lives after its last refresh when it does not say ({@code expires_at} absent). */
    public static final double DEFAULT_TTL_SECONDS = 90;

    /**
     * How far ahead of this device's clock a record's {@code updated_at} may be: clocks of devices disagree a
     * little. A record from further in the future is not believed, or it would win "freshest wins" for hours.
     */
    public static final double MAX_CLOCK_SKEW_SECONDS = 120;

    /** Slack on the lifetime for the rounding of epoch seconds as doubles ({@code now + 90 - now} may exceed 90). */
    private static final double LIFETIME_ROUNDING_SECONDS = 1;

    /** A record whose session's agent needs no sign-in ({@code signIn} {@code null}), as every Hermes gateway writes. */
    public PresenceRecord(int version, String sessionId, String sessionKey, String status, String title, String model,
            String cwd, String source, String client, String profile, String endpoint, String host, long pid,
            String instanceId, double updatedAt, double expiresAt, long messageCount) {
        this(version, sessionId, sessionKey, status, title, model, cwd, source, client, profile, endpoint, host, pid,
                instanceId, updatedAt, expiresAt, messageCount, null);
    }

    /** A record that carries no certificate fingerprint. */
    public PresenceRecord(int version, String sessionId, String sessionKey, String status, String title, String model,
            String cwd, String source, String client, String profile, String endpoint, String host, long pid,
            String instanceId, double updatedAt, double expiresAt, long messageCount, SignIn signIn) {
        this(version, sessionId, sessionKey, status, title, model, cwd, source, client, profile, endpoint, host, pid,
                instanceId, updatedAt, expiresAt, messageCount, signIn, "");
    }

    public PresenceRecord {
        // what a gateway repeats in each of its records is shared (SharedStrings): deriving compares endpoints, and a
        // poll compares each record with the equal copy it read before, by reference then
        sessionId = nonNull(sessionId);
        sessionKey = nonNull(sessionKey);
        status = shared(status);
        title = nonNull(title);
        model = shared(model);
        cwd = shared(cwd);
        source = shared(source);
        client = shared(client);
        profile = shared(profile);
        endpoint = shared(endpoint);
        host = shared(host);
        instanceId = shared(instanceId);
        fingerprint = Fingerprints.isValid(fingerprint) ? SharedStrings.of(fingerprint) : "";
    }

    /**
     * Equal as a record's own {@code equals} says (every component; doubles as {@link Double#compare}), in the order
     * that tells soonest: a refreshed record differs in its times, and an equal copy, which a poll that reads the
     * records again compares each record with, is proved by the numbers, the strings records share (references, see
     * the constructor) and then the few of its own. The generated one compared in declaration order through method
     * handles and was most of such a poll. The generated {@code hashCode} agrees with it.
     */
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        return other instanceof PresenceRecord that && Double.compare(updatedAt, that.updatedAt) == 0
                && Double.compare(expiresAt, that.expiresAt) == 0 && messageCount == that.messageCount
                && version == that.version && pid == that.pid && endpoint.equals(that.endpoint) && host.equals(that.host)
                && instanceId.equals(that.instanceId) && status.equals(that.status) && model.equals(that.model)
                && cwd.equals(that.cwd) && source.equals(that.source) && client.equals(that.client)
                && profile.equals(that.profile) && fingerprint.equals(that.fingerprint)
                && sessionId.equals(that.sessionId) && sessionKey.equals(that.sessionKey) && title.equals(that.title)
                && java.util.Objects.equals(signIn, that.signIn);
    }

    /**
     * Reads a record leniently: unknown fields are ignored and a field of the wrong type counts as absent. What a
     * person reads of it (title, model, host) is cleaned as {@link DisplayText} says, since the file is anyone's.
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
                DisplayText.title(text(o, "title")),
                DisplayText.oneLine(text(o, "model"), DisplayText.MAX_TITLE_LENGTH),
                text(o, "cwd"),
                text(o, "source"),
                text(o, "client"),
                text(o, "profile"),
                text(o, "endpoint"),
                DeviceNames.sanitize(text(o, "host")),
                (long) number(o, "pid"),
                text(o, "instance_id"),
                number(o, "updated_at"),
                number(o, "expires_at"),
                (long) number(metadata, "message_count"),
                SignIn.from(o),
                text(o, "fingerprint")));
    }

    /**
     * Reads the text of one presence file strictly: one JSON object, nothing after it, nested at most 32 deep.
     *
     * @return the record, or empty when the text is JSON but not an object
     * @throws IllegalArgumentException with a one-line reason when the text is not a JSON value
     */
    public static Optional<PresenceRecord> parse(String text) {
        try {
            JsonReader json = new JsonReader(new StringReader(text));
            json.setStrictness(Strictness.STRICT);
            json.setNestingLimit(32);
            JsonElement element = JsonParser.parseReader(json);
            if (json.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException("trailing data after the record");
            }
            return fromJson(element);
        } catch (JsonParseException | IOException | IllegalStateException e) {
            String message = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
                    : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            int newline = message.indexOf('\n');
            throw new IllegalArgumentException(newline > 0 ? message.substring(0, newline) : message, e);
        }
    }

    /** The record as a gateway writes it (Hermes schema version 1). */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("version", version <= 0 ? 1 : version);
        o.addProperty("session_id", sessionId);
        o.addProperty("session_key", sessionKey);
        o.addProperty("status", status);
        o.addProperty("title", title);
        o.addProperty("model", model);
        o.addProperty("cwd", cwd);
        o.addProperty("source", source);
        o.addProperty("client", client);
        o.addProperty("profile", profile);
        o.addProperty("endpoint", endpoint);
        o.addProperty("host", host);
        o.addProperty("pid", pid);
        o.addProperty("instance_id", instanceId);
        o.addProperty("updated_at", updatedAt);
        o.addProperty("expires_at", expiresAt);
        JsonObject metadata = new JsonObject();
        metadata.addProperty("message_count", messageCount);
        metadata.addProperty("session_key", sessionKey);
        o.add("metadata", metadata);
        SignIn.put(o, signIn); // ours: a Hermes reader ignores it
        if (!fingerprint.isEmpty()) {
            o.addProperty("fingerprint", fingerprint); // ours too
        }
        return o;
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

    /**
     * Whether a reader may believe this record at {@code nowEpochSeconds}, expired or not: it says when it was
     * written, that moment is at most {@link #MAX_CLOCK_SKEW_SECONDS} ahead of now, and it lives no longer than
     * {@link #DEFAULT_TTL_SECONDS} after it. Every gateway refreshes its records well inside that lifetime, so
     * only a planted record claims more: one that could otherwise outlive and outrank the real one.
     */
    public boolean isCredible(double nowEpochSeconds) {
        return implausibility(nowEpochSeconds).isEmpty();
    }

    /** Why this record is not {@linkplain #isCredible credible} at {@code nowEpochSeconds}; empty when it is. */
    public Optional<String> implausibility(double nowEpochSeconds) {
        if (updatedAt <= 0) {
            return Optional.of("no updated_at");
        }
        if (isFromTheFuture(nowEpochSeconds)) {
            return Optional.of("updated_at is " + Math.round(updatedAt - nowEpochSeconds) + " s in the future");
        }
        if (!hasPlausibleLifetime()) {
            return Optional.of("it claims to live " + Math.round(expiry() - updatedAt) + " s, not at most "
                    + Math.round(DEFAULT_TTL_SECONDS) + " s");
        }
        return Optional.empty();
    }

    /**
     * The part of {@link #isCredible} that does not depend on the time: the record says when it was written and
     * lives no longer than a record may. {@code isCredible(now) == hasCredibleTimes() && !isFromTheFuture(now)}.
     */
    boolean hasCredibleTimes() {
        return !(updatedAt <= 0) && hasPlausibleLifetime(); // written so, a NaN is judged as implausibility() judges it
    }

    /** Whether {@code updated_at} is further ahead of {@code nowEpochSeconds} than clocks disagree; false from then on. */
    boolean isFromTheFuture(double nowEpochSeconds) {
        return updatedAt > nowEpochSeconds + MAX_CLOCK_SKEW_SECONDS;
    }

    private boolean hasPlausibleLifetime() {
        double lifetime = expiry() - updatedAt;
        return !(lifetime < 0 || lifetime > DEFAULT_TTL_SECONDS + LIFETIME_ROUNDING_SECONDS);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static String shared(String s) {
        return s == null ? "" : SharedStrings.of(s);
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

    /** The records of a {@code session.presence_list} result; entries that are not records are skipped. */
    public static List<PresenceRecord> listFrom(JsonObject result) {
        List<PresenceRecord> out = new ArrayList<>();
        for (JsonObject o : Json.objects(result, "sessions")) {
            fromJson(o).ifPresent(out::add);
        }
        return List.copyOf(out);
    }

    /** A {@code session.presence_list} result: {@code {sessions:[records]}}. */
    public static JsonObject listToJson(List<PresenceRecord> records) {
        JsonArray sessions = new JsonArray();
        for (PresenceRecord r : records) {
            sessions.add(r.toJson());
        }
        JsonObject result = new JsonObject();
        result.add("sessions", sessions);
        return result;
    }
}
