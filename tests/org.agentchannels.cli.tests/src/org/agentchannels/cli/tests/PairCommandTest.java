package org.agentchannels.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.agentchannels.cli.AgentChannelsCli.Exit;
import org.agentchannels.core.Pairing;
import org.agentchannels.core.PairingInvitation;
import org.agentchannels.gateway.Gateway;
import org.agentchannels.gateway.GatewayMain;
import org.agentchannels.gateway.agent.EchoAgent;
import org.agentchannels.tests.gateway.GatewayExtension;
import org.agentchannels.tests.gateway.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agentchannels pair}: the line a real gateway's {@code gateway pair} printed is redeemed over TLS for a device
 * token, which goes into the token file (owner-only, in place of the gateway's earlier line) and then opens the
 * gateway; a code used once is refused with exit 77, and a line that is none with 64, leaving the file as it was.
 */
@SuppressWarnings("resource") // the fixtures close what they open
class PairCommandTest {

    @TempDir
    Path home;

    @TempDir
    Path dir;

    @RegisterExtension
    final CliRun cli = new CliRun();

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    /** {@code gateway pair}'s line, pointed at loopback (where the TLS-only gateway bound to every address listens too). */
    private String pairingLine(Gateway gateway) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = GatewayMain.run(new String[] { "pair", "--no-qr", "--home", home.toString() },
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()), home);
        assertEquals(0, status);
        PairingInvitation printed = PairingInvitation.parse(out.toString(StandardCharsets.UTF_8).strip());
        return new PairingInvitation("127.0.0.1", gateway.port(), printed.fingerprint(), printed.code()).toLine();
    }

    @Test
    void pairRedeemsTheLineIntoTheTokenFileAndTheGatewayOpens() throws Exception {
        TestGateway fixture = gateways.in(home);
        Gateway gateway = fixture.start(new EchoAgent("desktop", 0), "--bind", "0.0.0.0");
        Path tokens = dir.resolve("config").resolve("tokens");
        String line = pairingLine(gateway);
        String endpoint = "wss://127.0.0.1:" + gateway.port() + "/api/ws";

        assertEquals(Exit.OK, cli.run("pair", line, "--token-file", tokens.toString(), "--device-name", "laptop"), cli.err());
        assertTrue(cli.out().contains("paired with 'desktop' at " + endpoint + " as 'laptop'")
                && cli.out().contains(gateway.fingerprint()), cli.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens)));
        List<String> lines = Files.readAllLines(tokens);
        assertEquals(1, lines.size(), lines.toString());
        Pairing stored = Pairing.parse(lines.get(0));
        assertEquals(endpoint, stored.endpoint());
        assertEquals(gateway.fingerprint(), stored.fingerprint());
        assertFalse(stored.token().equals(gateway.token()), "a device token, not the owner's");
        String code = PairingInvitation.parse(line).code();
        assertFalse(Files.readString(tokens).contains(code) || cli.out().contains(code), "the code is kept nowhere");

        // the device token opens the gateway
        assertEquals(Exit.OK, cli.run("new", "--gateway", endpoint, "--token-file", tokens.toString(), "--title", "paired",
                "--send", "over a device token"), cli.err());
        assertTrue(cli.out().contains("over a device token"), cli.out());

        // used up: refused, and the file is left as it was
        String before = Files.readString(tokens);
        assertEquals(Exit.UNAUTHORIZED, cli.run("pair", line, "--token-file", tokens.toString()));
        assertTrue(cli.err().contains("did not take the pairing code") && cli.err().contains("wrong or was used already"),
                cli.err());
        assertEquals(Exit.USAGE, cli.run("pair", "agentchannels://127.0.0.1:1?fp=nonsense&code=x", "--token-file",
                tokens.toString()));
        assertTrue(cli.err().contains("not a pairing line"), cli.err());
        assertEquals(before, Files.readString(tokens));

        // pairing the gateway again replaces its line; another gateway's line and comments stay
        Files.writeString(tokens, "# mine\nws://192.0.2.9:8664/api/ws other-gateway-token\n" + before);
        assertEquals(Exit.OK, cli.run("pair", pairingLine(gateway), "--token-file", tokens.toString()), cli.err());
        List<String> after = Files.readAllLines(tokens);
        assertEquals(3, after.size(), after.toString());
        assertEquals("# mine", after.get(0));
        assertTrue(after.get(1).startsWith("ws://192.0.2.9:8664/api/ws "), after.toString());
        assertFalse(after.get(2).equals(lines.get(0)), "the new device token in place of the old one");
        assertEquals(endpoint, Pairing.parse(after.get(2)).endpoint());
    }
}
