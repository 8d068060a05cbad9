package org.agentchannels.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.agentchannels.core.GatewayEndpoints;
import org.agentchannels.core.Pairing;
import org.junit.jupiter.api.Test;

class GatewayEndpointsTest {

    @Test
    void remoteKeysAreUrlsLocalKeysAreProfileNames() {
        assertTrue(GatewayEndpoints.isRemoteKey("ws://192.0.2.20:8664/api/ws"));
        assertFalse(GatewayEndpoints.isRemoteKey("default"));
        assertFalse(GatewayEndpoints.isRemoteKey(null));
    }

    @Test
    void appendsTheTokenUrlEncoded() {
        assertEquals("ws://h:1/api/ws?token=a%2Bb%2Fc%3D", GatewayEndpoints.withToken("ws://h:1/api/ws", "a+b/c="));
        assertEquals("ws://h:1/api/ws?x=1&token=t", GatewayEndpoints.withToken("ws://h:1/api/ws?x=1", "t"));
        assertEquals("ws://h:1/api/ws?token=t#f", GatewayEndpoints.withToken("ws://h:1/api/ws#f", "t"));
    }

    @Test
    void leavesTheUrlAloneWithoutAToken() {
        assertEquals("ws://h:1/api/ws", GatewayEndpoints.withToken("ws://h:1/api/ws", null));
        assertEquals("ws://h:1/api/ws", GatewayEndpoints.withToken("ws://h:1/api/ws", ""));
    }

    @Test
    void redactsEveryTokenParameter() {
        assertEquals("ws://h:1/api/ws?token=***", GatewayEndpoints.redact("ws://h:1/api/ws?token=s3cr3t"));
        assertEquals("ws://h:1/api/ws?a=1&token=***&b=2", GatewayEndpoints.redact("ws://h:1/api/ws?a=1&token=s3cr3t&b=2"));
        assertEquals("ws://h:1/api/ws", GatewayEndpoints.redact("ws://h:1/api/ws"));
    }

    @Test
    void parseAcceptsWebSocketUrlsOnly() {
        assertEquals("h", GatewayEndpoints.parse("  ws://h:8664/api/ws ").getHost());
        assertEquals("h", GatewayEndpoints.parse("wss://h/api/ws").getHost());
        assertThrows(IllegalArgumentException.class, () -> GatewayEndpoints.parse(""));
        assertThrows(IllegalArgumentException.class, () -> GatewayEndpoints.parse("http://h/api/ws"));
        assertThrows(IllegalArgumentException.class, () -> GatewayEndpoints.parse("ws:///api/ws"));
    }

    @Test
    void aVerdictAskedAgainOfAnEqualCopyIsTheSameOneForEveryKindOfEndpoint() {
        // isDialable remembers its last verdicts: asked again, of the same string or an equal copy, it answers alike
        for (String endpoint : List.of("ws://192.0.2.10:8664/api/ws", "ws://169.254.169.254/api/ws", "http://h/api/ws",
                "wss://desk.example/api/ws?token=secret", " ws://127.0.0.1:8664/api/ws ", "ws://[fe80::1]:8664/api/ws",
                "ws://" + "h".repeat(200) + ".example/api/ws")) {
            boolean first = GatewayEndpoints.isDialable(endpoint);
            assertEquals(first, GatewayEndpoints.isDialable(endpoint), endpoint);
            assertEquals(first, GatewayEndpoints.isDialable(new String(endpoint)), endpoint);
            assertEquals(isParsed(endpoint), first, endpoint);
        }
    }

    private static boolean isParsed(String endpoint) {
        try {
            GatewayEndpoints.parse(endpoint);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Test
    void linkLocalAndUnspecifiedAddressesAreRefusedAndNamesAreNeverResolved() {
        for (String endpoint : List.of("ws://169.254.169.254/api/ws", "wss://169.254.1.2:443/api/ws", "ws://0.0.0.0:8664/api/ws",
                "ws://0.1.2.3:8664/api/ws", "ws://[::]:8664/api/ws", "ws://[::0]:8664/api/ws", "ws://[fe80::1]:8664/api/ws",
                "ws://[FE80::abcd:1]:8664/api/ws", "ws://[febf::1]:8664/api/ws", "ws://[::ffff:169.254.169.254]/api/ws")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GatewayEndpoints.parse(endpoint),
                    endpoint);
            assertTrue(e.getMessage().contains("link-local") || e.getMessage().contains("unspecified"), e.getMessage());
            assertFalse(GatewayEndpoints.isDialable(endpoint), endpoint);
        }
        for (String endpoint : List.of("ws://127.0.0.1:8664/api/ws", "ws://192.0.2.10:8664/api/ws", "ws://[::1]:8664/api/ws",
                "ws://[2001:db8::5]:8664/api/ws", "ws://[fec0::1]:8664/api/ws", "ws://169.253.1.1/api/ws",
                "ws://desk.example:8664/api/ws", "ws://localhost:8664/api/ws",
                // a name is judged as a name, never looked up (this one would not resolve here)
                "ws://metadata.invalid/api/ws")) {
            assertTrue(GatewayEndpoints.isDialable(endpoint), endpoint);
        }
    }

    /**
     * isDialable judges the plain form without a URI parse: over the forms gateways advertise, their near misses
     * (hosts a URI takes for a registry authority, ports, paths and hosts with one character more or less) and random
     * strings of URL characters, it says what parse says.
     */
    @Test
    void isDialableAgreesWithParseOnEveryForm() {
        List<String> endpoints = new ArrayList<>(List.of("ws://10.0.3.250:8664/api/ws", "wss://gw.example.test:443/api/ws",
                "ws://localhost", "ws://localhost:1", "ws://localhost:/api/ws", "ws://1.2.3/api/ws", "ws://1.2.3.4.5/",
                "ws://256.1.1.1:80/", "ws://010.0.0.1:80/", "ws://0.0.0.0:8664/api/ws", "ws://169.254.169.254/latest",
                "ws://0.1.2.3/", "ws://a-.b/", "ws://-a.b/", "ws://a..b/", "ws://a.b./", "ws://a.1b/", "ws://1a.b2/",
                "ws://h:99999/", "ws://h:123456/", "ws://h:0/", "ws://h/api ws", "ws://h/%41", "ws://h?token=x", "ws://h#f",
                "ws://h/a?b", "WS://h/", "ws:/h/", "ws:///api/ws", "wss://", "ws://", " ws://h:1/ ", "ws://u@h:1/",
                "ws://[::1]:1/", "ws://[fe80::1]:1/", "ws://h:1:2/", "ws://h_1/", "ws://h~/", "ws://été/",
                "http://h/", "ws://h/~_.-/", "ws://H.Example/", "ws://1.1.1.1a/", "ws://1.1.1.01/"));
        Random random = new Random(18);
        String alphabet = "ws:/.-_~0123456789abAB[]@?#%: é";
        String[] prefixes = { "ws://", "wss://", "ws://1", "ws://10.0.", "ws://h", "" };
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder(prefixes[random.nextInt(prefixes.length)]);
            for (int k = random.nextInt(14); k > 0; k--) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            endpoints.add(b.toString());
        }
        int dialable = 0;
        for (String endpoint : endpoints) {
            boolean parses;
            try {
                GatewayEndpoints.parse(endpoint);
                parses = true;
            } catch (IllegalArgumentException e) {
                parses = false;
            }
            assertEquals(parses, GatewayEndpoints.isDialable(endpoint), endpoint);
            dialable += parses ? 1 : 0;
        }
        assertTrue(dialable > 1_000, "the corpus holds dialable endpoints too: " + dialable);
    }

    @Test
    void errorsNeverCarryTheToken() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GatewayEndpoints.parse("http://h/api/ws?token=s3cr3t"));
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
    }

    @Test
    void aPairingIsATokenOrTheExplicitTrustWithoutOne() {
        Pairing token = Pairing.parse(" ws://192.0.2.10:8664/api/ws   desk-token-1234 ");
        assertEquals("ws://192.0.2.10:8664/api/ws", token.endpoint());
        assertFalse(token.isWithoutToken());
        assertFalse(token.toString().contains("desk-token-1234"));
        Pairing trusted = Pairing.parse(Pairing.WITHOUT_TOKEN + " ws://192.0.2.30:8642/api/ws");
        assertTrue(trusted.isWithoutToken());
        assertEquals("ws://192.0.2.30:8642/api/ws", trusted.endpoint());
        assertEquals(trusted, Pairing.withoutToken(" ws://192.0.2.30:8642/api/ws "));
        assertThrows(IllegalArgumentException.class, () -> Pairing.parse("ws://192.0.2.30:8642/api/ws"),
                "an endpoint alone is no pairing: trust without a token is said in words");
        assertThrows(IllegalArgumentException.class, () -> Pairing.parse(Pairing.WITHOUT_TOKEN + " ws://169.254.169.254/api/ws"));
        assertThrows(IllegalArgumentException.class, () -> Pairing.parse("ws://0.0.0.0:1/api/ws desk-token-1234"));
    }
}
