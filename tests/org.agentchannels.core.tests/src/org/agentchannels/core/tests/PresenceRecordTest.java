package org.agentchannels.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;

import org.agentchannels.core.Fingerprints;
import org.agentchannels.core.presence.PresenceRecord;
import org.agentchannels.core.protocol.SignIn;
import org.agentchannels.core.presence.SessionActivity;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonParser;

class PresenceRecordTest {

    /** A record as hermes_cli/session_presence.py writes it. */
    private static final String HERMES_RECORD = """
            {"version": 1, "session_id": "3f9a1c2e", "session_key": "20260610_120000_abcdef",
             "status": "working", "title": "Refactor the parser", "model": "hermes-4", "cwd": "/home/me/src",
             "source": "tui_gateway", "client": "desktop", "profile": "default",
             "endpoint": "ws://192.0.2.10:8664/api/ws", "host": "desk.local", "pid": 4242,
             "instance_id": "desk.local-4242", "updated_at": 1781092800.25, "expires_at": 1781092890.25,
             "metadata": {"message_count": 12, "route_profile": "default", "session_key": "20260610_120000_abcdef"},
             "some_future_field": {"ignored": true}}
            """;

    @Test
    void recordsOfOneGatewayParsedOneByOneShareOneEndpointAndHostStringButNotALongOne() {
        PresenceRecord first = PresenceRecord.fromJson(JsonParser.parseString(HERMES_RECORD)).orElseThrow();
        PresenceRecord second = PresenceRecord.fromJson(JsonParser.parseString(HERMES_RECORD)).orElseThrow();
        assertSame(first.endpoint(), second.endpoint());
        assertSame(first.host(), second.host());
        assertNotSame(first.title(), second.title()); // only what a gateway repeats in each record is shared

        String path = "/" + "p".repeat(400);
        PresenceRecord longOne = withEndpoint("ws://192.0.2.10:8664" + path);
        PresenceRecord longTwo = withEndpoint("ws://192.0.2.10:8664" + path);
        assertEquals(longOne.endpoint(), longTwo.endpoint());
        assertNotSame(longOne.endpoint(), longTwo.endpoint()); // a table of bounded memory keeps no long value
    }

    @Test
    void recordsAreEqualWhenEveryComponentIsAndNotWhenAnyOneDiffers() throws ReflectiveOperationException {
        RecordComponent[] components = PresenceRecord.class.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
        }
        Constructor<PresenceRecord> canonical = PresenceRecord.class.getDeclaredConstructor(types);
        PresenceRecord base = new PresenceRecord(1, "s1", "k1", "idle", "title", "model", "/src", "source", "client",
                "profile", "ws://192.0.2.10:8664/api/ws", "host", 42, "host-42", 1000.5, 1090.5, 7,
                new SignIn("desk", "sign in"), Fingerprints.of("one".getBytes(StandardCharsets.UTF_8)));
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            values[i] = components[i].getAccessor().invoke(base);
        }
        PresenceRecord copy = canonical.newInstance(copies(values));
        assertEquals(base, copy);
        assertEquals(base.hashCode(), copy.hashCode());
        for (int i = 0; i < components.length; i++) {
            Object[] changed = copies(values);
            changed[i] = other(components[i].getName(), values[i]);
            assertNotEquals(base, canonical.newInstance(changed), components[i].getName() + " differs");
        }
        // doubles compare as Double.compare does, as a record's own equals compares them
        PresenceRecord undated = new PresenceRecord(1, "s", "", "", "", "", "", "", "", "", "", "", 0, "", Double.NaN, 0, 0);
        assertEquals(undated, new PresenceRecord(1, "s", "", "", "", "", "", "", "", "", "", "", 0, "", Double.NaN, 0, 0));
        assertNotEquals(new PresenceRecord(1, "s", "", "", "", "", "", "", "", "", "", "", 0, "", 0.0, 0, 0),
                new PresenceRecord(1, "s", "", "", "", "", "", "", "", "", "", "", 0, "", -0.0, 0, 0));
    }

    /** The values with each string a copy of its own, as parsing the same record again gives. */
    private static Object[] copies(Object[] values) {
        Object[] copies = values.clone();
        for (int i = 0; i < copies.length; i++) {
            if (copies[i] instanceof String text) {
                copies[i] = new String(text);
            }
        }
        return copies;
    }

    private static Object other(String component, Object value) {
        return switch (value) {
            case String text when component.equals("fingerprint") -> Fingerprints.of("two".getBytes(StandardCharsets.UTF_8));
            case String text -> text + "x";
            case Integer number -> number + 1;
            case Long number -> number + 1;
            case Double number -> number + 1;
            case SignIn signIn -> new SignIn(signIn.device(), signIn.hint() + " again");
            default -> throw new AssertionError("a component of another type: " + component);
        };
    }

    private static PresenceRecord withEndpoint(String endpoint) {
        return new PresenceRecord(1, "s", "", "idle", "", "", "", "", "", "", endpoint, "h", 0, "", 1, 2, 0);
    }

    @Test
    void readsEveryFieldOfAHermesRecord() {
        PresenceRecord r = PresenceRecord.fromJson(JsonParser.parseString(HERMES_RECORD)).orElseThrow();
        assertEquals(1, r.version());
        assertEquals("3f9a1c2e", r.sessionId());
        assertEquals("20260610_120000_abcdef", r.sessionKey());
        assertEquals("working", r.status());
        assertEquals("Refactor the parser", r.title());
        assertEquals("hermes-4", r.model());
        assertEquals("ws://192.0.2.10:8664/api/ws", r.endpoint());
        assertEquals("desk.local", r.host());
        assertEquals(4242, r.pid());
        assertEquals("desk.local-4242", r.instanceId());
        assertEquals(1781092800.25, r.updatedAt());
        assertEquals(1781092890.25, r.expiresAt());
        assertEquals(12, r.messageCount());
        assertEquals(SessionActivity.WORKING, SessionActivity.fromStatus(r.status()));
    }

    @Test
    void wrongTypesCountAsAbsent() {
        PresenceRecord r = PresenceRecord.fromJson(JsonParser.parseString(
                "{\"session_id\": 7, \"endpoint\": null, \"updated_at\": \"yesterday\", \"metadata\": [1]}")).orElseThrow();
        assertEquals("", r.sessionId());
        assertEquals("", r.endpoint());
        assertEquals(0, r.updatedAt());
        assertEquals(0, r.messageCount());
    }

    @Test
    void sessionKeyFallsBackToTheMetadata() {
        PresenceRecord r = PresenceRecord.fromJson(JsonParser.parseString(
                "{\"session_id\": \"a\", \"metadata\": {\"session_key\": \"k\"}}")).orElseThrow();
        assertEquals("k", r.sessionKey());
    }

    @Test
    void notAnObjectIsNoRecord() {
        assertFalse(PresenceRecord.fromJson(JsonParser.parseString("[1,2]")).isPresent());
        assertFalse(PresenceRecord.fromJson(JsonParser.parseString("\"text\"")).isPresent());
        assertFalse(PresenceRecord.fromJson(null).isPresent());
    }

    @Test
    void expiryUsesTheDefaultTtlWhenTheRecordDoesNotSay() {
        PresenceRecord r = PresenceRecord.fromJson(JsonParser.parseString("{\"session_id\":\"a\",\"updated_at\":1000}"))
                .orElseThrow();
        assertEquals(1090, r.expiry());
        assertFalse(r.isExpired(1089));
        assertTrue(r.isExpired(1090));
    }

    @Test
    void aRecordIsCredibleOnlyWithATimeNotFarAheadAndALifetimeWithinTheTtl() {
        double now = 1_781_092_800;
        PresenceRecord hermes = PresenceRecord.fromJson(JsonParser.parseString(HERMES_RECORD)).orElseThrow();
        assertTrue(hermes.isCredible(now), hermes.implausibility(now).toString());
        assertTrue(hermes.isCredible(now + 3600), "an expired record is still credible: expiry is a separate rule");
        assertTrue(hermes.isCredible(hermes.updatedAt() - PresenceRecord.MAX_CLOCK_SKEW_SECONDS + 1));
        assertTrue(hermes.implausibility(hermes.updatedAt() - 3600).orElseThrow().contains("in the future"));
        PresenceRecord noExpiry = PresenceRecord.fromJson(JsonParser.parseString("{\"session_id\":\"a\",\"updated_at\":1000}"))
                .orElseThrow();
        assertTrue(noExpiry.isCredible(1000), "no expires_at: the default TTL applies");
        PresenceRecord noTime = PresenceRecord.fromJson(JsonParser.parseString("{\"session_id\":\"a\"}")).orElseThrow();
        assertFalse(noTime.isCredible(now));
        PresenceRecord longLived = PresenceRecord.fromJson(JsonParser.parseString(
                "{\"session_id\":\"a\",\"updated_at\":1000,\"expires_at\":1091.5}")).orElseThrow();
        assertTrue(longLived.implausibility(1000).orElseThrow().contains("live"));
        // the rounding of a writer's now + 90 does not count against it
        double written = now + 0.123456789;
        assertTrue(new PresenceRecord(1, "a", "", "", "", "", "", "", "", "", "", "", 0, "", written,
                written + PresenceRecord.DEFAULT_TTL_SECONDS, 0).isCredible(now));
    }

    @Test
    void mapsTheStatusWordsOfBothHermesLines() {
        assertEquals(SessionActivity.WORKING, SessionActivity.fromStatus("streaming"));
        assertEquals(SessionActivity.NEEDS_INPUT, SessionActivity.fromStatus("waiting"));
        assertEquals(SessionActivity.STARTING, SessionActivity.fromStatus("resuming"));
        assertEquals(SessionActivity.IDLE, SessionActivity.fromStatus("something-new"));
        assertEquals(SessionActivity.IDLE, SessionActivity.fromStatus(null));
        assertTrue(SessionActivity.NEEDS_INPUT.keepsGatewayConnected());
        assertFalse(SessionActivity.IDLE.keepsGatewayConnected());
    }
}
