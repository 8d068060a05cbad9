package org.agentchannels.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.agentchannels.core.Fingerprints;
import org.agentchannels.core.Pairing;
import org.agentchannels.core.presence.PresenceRecord;
import org.agentchannels.core.presence.RemoteSessions;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.GatewayEvents;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonParser;

/**
 * The certificate fingerprint as it travels: computed from a key's SubjectPublicKeyInfo, on a pairing line, in a
 * presence record (optional: old records stay valid), in the derivation that offers only pinned gateways; and the
 * ready frame's {@code insecure_plaintext} flag.
 */
class FingerprintsTest {

    private static final String DESK = "wss://192.0.2.10:8664/api/ws";
    private static final String PINNED = Fingerprints.of("the desk's key".getBytes(StandardCharsets.UTF_8));
    private static final String OTHER = Fingerprints.of("someone else's key".getBytes(StandardCharsets.UTF_8));

    @Test
    void aFingerprintIsSha256OfTheKeyInBase64url() {
        // SHA-256 of the empty input, a value anyone can check: e3b0c442...b855
        assertEquals("sha256:47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU", Fingerprints.of(new byte[0]));
        assertTrue(Fingerprints.isValid(PINNED));
        assertFalse(Fingerprints.isValid("sha256:short"));
        assertFalse(Fingerprints.isValid("sha1:" + PINNED.substring(7)));
        assertThrows(IllegalArgumentException.class, () -> Fingerprints.parse("md5:x"));
    }

    @Test
    void aPairingLinePinsTheFingerprintAndOldLinesStayValid() {
        Pairing p = Pairing.parse(DESK + " desk-token-123 fp=" + PINNED);
        assertEquals(PINNED, p.fingerprint());
        assertFalse(p.hermes());
        assertEquals(DESK + " desk-token-123 fp=" + PINNED, p.toLine());
        assertFalse(p.toString().contains("desk-token-123"), p.toString());
        assertEquals("", Pairing.parse("ws://127.0.0.1:8664/api/ws desk-token-123").fingerprint());
        Pairing hermes = Pairing.parse(DESK + " desk-token-123 hermes fp=" + PINNED);
        assertTrue(hermes.hermes());
        assertEquals(hermes, Pairing.parse(hermes.toLine()));
        assertThrows(IllegalArgumentException.class, () -> Pairing.parse(DESK + " desk-token-123 fp=" + PINNED + " fp=" + OTHER));
    }

    private static PresenceRecord record(String id, String fingerprint) {
        return new PresenceRecord(1, id, "key-" + id, "idle", "t", "m", "", "agentchannels", "gateway", "default", DESK,
                "desk", 7, "desk-7", 1000, 1090, 1, null, fingerprint);
    }

    @Test
    void aPresenceRecordCarriesTheFingerprintOptionallyAndBounded() {
        PresenceRecord r = record("a1", PINNED);
        assertEquals(PINNED, PresenceRecord.fromJson(r.toJson()).orElseThrow().fingerprint());
        assertEquals(PINNED, r.toJson().get("fingerprint").getAsString());
        PresenceRecord old = record("a2", "");
        assertFalse(old.toJson().has("fingerprint"), "a record without one writes none, as a Hermes gateway's");
        assertEquals("", PresenceRecord.fromJson(old.toJson()).orElseThrow().fingerprint());
        var planted = r.toJson();
        planted.addProperty("fingerprint", "x".repeat(100_000));
        assertEquals("", PresenceRecord.fromJson(planted).orElseThrow().fingerprint(), "not one: read as none");
        planted.add("fingerprint", JsonParser.parseString("{\"a\":1}"));
        assertEquals("", PresenceRecord.fromJson(planted).orElseThrow().fingerprint());
    }

    @Test
    void aRecordWhoseFingerprintIsNotThePinnedOneIsNotOffered() {
        List<PresenceRecord> records = List.of(record("same", PINNED), record("other", OTHER), record("none", ""));
        Map<String, String> pins = Map.of(DESK, PINNED);
        RemoteSessions pinned = RemoteSessions.derive(records, List.of(), 1000, e -> Optional.ofNullable(pins.get(e)));
        assertEquals(List.of("none", "same"), pinned.sessions().stream().map(s -> s.sessionId()).sorted().toList());
        assertTrue(pinned.endpointOf("other").isEmpty(), "the record of another key is not dialled");
        // nothing pinned for the endpoint: judged as before
        RemoteSessions unpinned = RemoteSessions.derive(records, List.of(), 1000, e -> Optional.empty());
        assertEquals(3, unpinned.size());
        assertEquals(3, RemoteSessions.derive(records, List.of(), 1000).size());
    }

    @Test
    void theReadyFrameSaysWhenTheGatewaySpeaksPlaintextOffLoopback() {
        FrameCodec codec = new FrameCodec();
        GatewayEvent.GatewayReady plain = new GatewayEvent.GatewayReady("desk", true, true, true, true, "e", List.of(),
                List.of(), true);
        String text = codec.encode(GatewayEvents.frame("", plain, -1));
        assertTrue(text.contains("\"insecure_plaintext\":true"), text);
        assertEquals(plain, GatewayEvents.parse((Frame.Event) codec.decode(text)));
        GatewayEvent.GatewayReady tls = new GatewayEvent.GatewayReady("desk", true, true, true, true, "e");
        String usual = codec.encode(GatewayEvents.frame("", tls, -1));
        assertFalse(usual.contains("insecure_plaintext"), "a Hermes client sees no new field from a usual gateway");
        assertFalse(((GatewayEvent.GatewayReady) GatewayEvents.parse((Frame.Event) codec.decode(usual))).insecurePlaintext());
    }
}
