package org.agentchannels.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.agentchannels.core.Fingerprints;
import org.agentchannels.core.PairingInvitation;
import org.agentchannels.core.SecretDigests;
import org.junit.jupiter.api.Test;

/** The pairing line: read back as written, always TLS, and never quoting its code in an error or a toString. */
class PairingInvitationTest {

    private static final String FP = Fingerprints.of("the desk's key".getBytes(StandardCharsets.UTF_8));

    @Test
    void aLineIsReadBackAsWrittenAndMeansTls() {
        PairingInvitation invitation = PairingInvitation.parse("agentchannels://192.168.1.5:8664?fp=" + FP + "&code=abcd-efgh-jkmn");
        assertEquals("192.168.1.5", invitation.host());
        assertEquals(8664, invitation.port());
        assertEquals(FP, invitation.fingerprint());
        assertEquals("ABCDEFGHJKMN", invitation.code(), "dashes and case are how it is read out, not part of it");
        assertEquals("wss://192.168.1.5:8664/api/ws", invitation.endpoint());
        assertEquals("https://192.168.1.5:8664/api/pair", invitation.redemptionUri().toString());
        assertEquals("agentchannels://192.168.1.5:8664?fp=" + FP + "&code=ABCD-EFGH-JKMN", invitation.toLine());
        assertEquals(invitation, PairingInvitation.parse(invitation.toLine()));
        assertFalse(invitation.toString().contains("ABCD"), invitation.toString());
        assertEquals("wss://127.0.0.1:9000/api/ws", PairingInvitation.parse("agentchannels://127.0.0.1:9000?fp=" + FP
                + "&code=ABCDEFGHJKMN").endpoint(), "on loopback too: a gateway that pairs devices speaks TLS only");
        assertEquals("[::1]", PairingInvitation.of("wss://[::1]:8664/api/ws", FP, "ABCDEFGHJKMN").host());
    }

    @Test
    void whatIsWrongIsSaidWithoutTheCode() {
        String code = "ABCD-EFGH-JKM1"; // 1 is not a code's letter
        for (String line : new String[] { "agentchannels://host:8664?fp=" + FP + "&code=" + code,
                "agentchannels://host:8664?code=ABCDEFGHJKMN", "agentchannels://host:8664?fp=" + FP,
                "agentchannels://host?fp=" + FP + "&code=ABCDEFGHJKMN", "agentchannels://host:8664?fp=sha256:short&code=ABCDEFGHJKMN",
                "agentchannels://169.254.169.254:80?fp=" + FP + "&code=ABCDEFGHJKMN",
                "agentchannels://host:8664?fp=" + FP + "&code=ABCDEFGHJKMN&token=x", "wss://host:8664/api/ws token" }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PairingInvitation.parse(line), line);
            assertFalse(e.getMessage().contains("ABCD") || e.getMessage().contains("JKM1"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> PairingInvitation.of("ws://127.0.0.1:8664/api/ws", FP, "ABCDEFGHJKMN"),
                "codes are redeemed over TLS only");
        assertTrue(PairingInvitation.isInvitation("  AgentChannels://x:1?fp=&code="));
        assertFalse(PairingInvitation.isInvitation("wss://x:1/api/ws token"));
    }

    @Test
    void aSecretIsKeptAsItsDigestOnly() {
        String digest = SecretDigests.of("a device token");
        assertTrue(SecretDigests.isDigest(digest), digest);
        assertEquals(digest, SecretDigests.of("a device token"));
        assertFalse(digest.equals(SecretDigests.of("another token")));
        assertFalse(SecretDigests.isDigest("not-a-digest"));
    }
}
