package org.agentchannels.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agentchannels.core.GatewayEndpoints;
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
    void errorsNeverCarryTheToken() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GatewayEndpoints.parse("http://h/api/ws?token=s3cr3t"));
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
    }
}
