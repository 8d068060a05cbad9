package org.agentchannels.gateway.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.agentchannels.gateway.internal.rpc.HostCheck;
import org.junit.jupiter.api.Test;

/** The Host and Origin rules, header by header: literal comparisons, nothing resolved. */
class HostCheckTest {

    private static final Supplier<Set<String>> NEVER_ASKED = () -> {
        throw new AssertionError("only a wildcard bind asks for this machine's names");
    };

    private static HostCheck loopback() {
        return new HostCheck("127.0.0.1", true, "", NEVER_ASKED);
    }

    @Test
    void aLoopbackBindTakesLoopbackNamesAndAddressLiteralsOnly() {
        HostCheck check = loopback();
        for (String host : new String[] { "localhost", "localhost:8664", "LOCALHOST.", "127.0.0.1:8664", "127.0.0.2",
                "[::1]:8664", "[0:0:0:0:0:0:0:1]" }) {
            assertTrue(check.allows(host, null), host);
        }
        // rebinding names, and forms only some parsers read as loopback: compared literally, all refused
        for (String host : new String[] { "evil.example", "evil.example:8664", "localhost.evil.example", "2130706433",
                "127.1", "0177.0.0.1", "0x7f000001", "beef", "cafe:8664", "[::1%lo]", "", "   " }) {
            assertFalse(check.allows(host, null), host);
        }
        assertFalse(check.allows(null, null));
    }

    @Test
    void aBindToOneAddressTakesThatAddressAndTheAdvertisedHost() {
        HostCheck check = new HostCheck("192.0.2.7", false, "desk.example", NEVER_ASKED);
        assertTrue(check.allows("192.0.2.7:8664", null));
        assertTrue(check.allows("DESK.example:443", null));
        assertFalse(check.allows("127.0.0.1:8664", null));
        assertFalse(check.allows("192.0.2.8:8664", null));
    }

    @Test
    void aWildcardBindTakesThisMachinesOwnNamesAndAddressesAndNothingElse() {
        AtomicInteger asked = new AtomicInteger();
        AtomicReference<Set<String>> names = new AtomicReference<>(Set.of("desk", "desk.local", "192.0.2.7", "fe80::1"));
        HostCheck check = new HostCheck("0.0.0.0", false, "tunnel.example", () -> {
            asked.incrementAndGet();
            return names.get();
        });
        assertTrue(check.allows("127.0.0.1:8664", null), "this machine's own clients");
        assertTrue(check.allows("localhost:8664", null));
        assertTrue(check.allows("tunnel.example", null));
        assertEquals(0, asked.get(), "loopback and --advertise need no interface list");
        assertTrue(check.allows("192.0.2.7:8664", null));
        assertTrue(check.allows("Desk.local:8664", null));
        assertTrue(check.allows("[fe80:0:0:0:0:0:0:1]:8664", null));
        assertFalse(check.allows("evil.example:8664", null), "the Host check is on for a wildcard bind too");
        assertFalse(check.allows("192.0.2.8:8664", null));
        // an address this machine got since is taken: the list is read again when a name is not in it
        names.set(Set.of("desk", "198.51.100.4"));
        assertTrue(check.allows("198.51.100.4:8664", null));
    }

    @Test
    void onlyWebPagesOnThisGatewaysOwnHostsMayBeTheOrigin() {
        HostCheck check = loopback();
        assertTrue(check.allows("127.0.0.1:8664", "http://localhost:1234"));
        assertTrue(check.allows("127.0.0.1:8664", "https://127.0.0.1"));
        assertTrue(check.allows("127.0.0.1:8664", "http://[::1]:3000"));
        for (String origin : new String[] { "null", "", "file://", "file:///home/me/page.html",
                "chrome-extension://abcdefghijklmnopabcdefghijklmnop", "moz-extension://1234", "data:text/html,hi",
                "app://desktop", "http://evil.example", "http://localhost.evil.example", "http://2130706433",
                "not a url" }) {
            assertFalse(check.allows("127.0.0.1:8664", origin), origin);
        }
        HostCheck wildcard = new HostCheck("::", false, "", () -> Set.of("desk.local"));
        assertTrue(wildcard.allows("desk.local:8664", "http://desk.local:3000"));
        assertFalse(wildcard.allows("desk.local:8664", "http://evil.example"));
        assertFalse(wildcard.allows("desk.local:8664", "null"));
    }
}
