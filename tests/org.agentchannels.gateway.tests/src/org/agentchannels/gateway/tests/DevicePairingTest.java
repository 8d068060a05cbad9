package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.agentchannels.tests.support.ConnectorExtension.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.ConnectionState;
import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.connector.PairingRedemption;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.core.Pairing;
import org.agentchannels.core.PairingInvitation;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.Gateway;
import org.agentchannels.gateway.GatewayMain;
import org.agentchannels.gateway.internal.trust.PairingAttempts;
import org.agentchannels.gateway.internal.trust.PairingCodes;
import org.agentchannels.gateway.launch.GatewayHome;
import org.agentchannels.tests.gateway.GatewayExtension;
import org.agentchannels.tests.gateway.TestGateway;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.CapturedLog;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.tests.support.ManualClock;
import org.agentchannels.tests.support.TlsImpostor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;

/**
 * One-time pairing codes and the device tokens they buy: a code works once, within ten minutes, and only until too
 * many wrong ones lock pairing for a while; it reaches no server but the one whose certificate the line names; a
 * device's prompts are attributed to the device its token was issued to, whatever it claims; a revoked device is cut
 * off at once. No code or token is left in a log, a file or a message.
 */
@SuppressWarnings("resource") // the fixtures close what they open
class DevicePairingTest {

    private static final String LAN = "192.0.2.7";

    @TempDir
    Path home;

    @TempDir
    Path scratch;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private final ManualClock clock = new ManualClock(System.currentTimeMillis());
    private final ScriptedAgent agent = new ScriptedAgent();

    private record Run(int status, String out, String err) {
    }

    private Run run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = GatewayMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), home);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A gateway bound to every address (so TLS only), advertised at an address no test reaches, on the test's clock. */
    private Gateway start(TestGateway fixture, String... more) throws Exception {
        List<String> options = new ArrayList<>(List.of("--bind", "0.0.0.0"));
        options.addAll(List.of(more));
        fixture.gateway = Gateway.start(fixture.options(options.toArray(String[]::new)), agent, () -> "desk-host",
                () -> LAN, clock, Gateway.PRESENCE_REFRESH);
        return fixture.gateway;
    }

    /** {@code gateway pair}'s line, checked, and the invitation it makes, reached on loopback (over TLS all the same). */
    private PairingInvitation issue(Gateway gateway) throws Exception {
        Run pair = run("pair", "--home", home.toString(), "--no-qr");
        assertEquals(0, pair.status(), pair.err());
        String line = pair.out().strip();
        assertTrue(line.matches("agentchannels://" + LAN.replace(".", "\\.") + ":" + gateway.port() + "\\?fp="
                + gateway.fingerprint().replace("-", "\\-") + "&code=[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}"), line);
        assertTrue(pair.err().contains("valid for 10 minutes") && pair.err().contains(gateway.fingerprint()), pair.err());
        PairingInvitation invitation = PairingInvitation.parse(line);
        return new PairingInvitation("127.0.0.1", invitation.port(), invitation.fingerprint(), invitation.code());
    }

    private StandaloneGatewayConnector client(TestGateway fixture, Pairing pairing, String deviceName) {
        InMemoryTokenStore tokens = new InMemoryTokenStore();
        tokens.put(pairing);
        return fixture.track(GatewayConnectors.standalone(tokens, deviceName, ConnectorExtension.fastBackoff()));
    }

    private static PairingInvitation withCode(PairingInvitation invitation, String code) {
        return new PairingInvitation(invitation.host(), invitation.port(), invitation.fingerprint(), code);
    }

    @Test
    void aCodePairsADeviceOnceAndItsPromptsAreAttributedToThatDevice() throws Exception {
        try (CapturedLog log = new CapturedLog()) {
            TestGateway fixture = gateways.in(home);
            Gateway gateway = start(fixture);
            PairingInvitation invitation = issue(gateway);

            PairingRedemption.Redeemed laptop = await(PairingRedemption.redeem(invitation, "laptop"));
            assertEquals("laptop", laptop.deviceName());
            assertEquals("desktop", laptop.gatewayDevice());
            assertEquals("wss://127.0.0.1:" + gateway.port() + "/api/ws", laptop.pairing().endpoint());
            assertEquals(gateway.fingerprint(), laptop.pairing().fingerprint());
            assertNotEquals(gateway.token(), laptop.pairing().token(), "a token of its own, not the owner's");

            // the code is used up
            GatewayException again = failure(PairingRedemption.redeem(invitation, "tablet"));
            assertEquals(GatewayException.Kind.PAIRING_CODE_REFUSED, again.kind(), again.getMessage());
            assertEquals(401, again.code());
            assertTrue(again.getMessage().contains("wrong or was used already"), again.getMessage());

            // prompts over the device token are the laptop's, whatever name the client claims
            StandaloneGatewayConnector mallory = client(fixture, laptop.pairing(), "someone-else");
            AttachedSession session = await(mallory.createSession(laptop.pairing().endpoint(), "attributed"));
            await(session.submit("who am I"));
            ScriptedAgent.ScriptedTurn turn = agent.next();
            assertEquals("laptop", turn.request.senderDevice());
            turn.finish();
            Await.until("the prompt's row", WAIT, () -> session.model().rows().stream()
                    .anyMatch(r -> r.role().equals("user") && r.text().equals("who am I")));
            TranscriptRow typed = session.model().rows().stream().filter(r -> r.role().equals("user")).findFirst().orElseThrow();
            assertEquals("laptop", typed.senderDevice());
            assertEquals(1, log.warnings("named another sender_device; attributed to 'laptop'").size(), log.text());
            assertFalse(log.text().contains("someone-else"), "the claimed name is the client's text: not logged");

            // the owner's token still works for scripts, and is attributed to what it says
            Run owner = run("pair", "--home", home.toString(), "--owner-token");
            assertEquals(0, owner.status(), owner.err());
            Pairing ownerLine = Pairing.parse(owner.out().strip());
            assertEquals(gateway.token(), ownerLine.token());
            StandaloneGatewayConnector script = client(fixture, new Pairing(laptop.pairing().endpoint(), ownerLine.token(), false,
                    ownerLine.fingerprint()), "nightly-script");
            AttachedSession scripted = await(script.createSession(laptop.pairing().endpoint(), "scripted"));
            await(scripted.submit("from a script"));
            ScriptedAgent.ScriptedTurn second = agent.next();
            assertEquals("nightly-script", second.request.senderDevice());
            second.finish();

            // a second device asking for a name in use gets one of its own
            PairingRedemption.Redeemed other = await(PairingRedemption.redeem(issue(gateway), "laptop"));
            assertEquals("laptop-2", other.deviceName());
            Run devices = run("devices", "--home", home.toString());
            assertEquals(0, devices.status(), devices.err());
            Run status = run("status", "--home", home.toString());
            assertTrue(status.out().contains("paired devices: 2") && status.out().contains("pairing codes waiting: 0"),
                    status.out());
            assertTrue(devices.out().contains("laptop ") && devices.out().contains("laptop-2") && devices.out().contains("127.0.0.1"),
                    devices.out());

            // no code, no token anywhere it could be read
            List<String> secrets = List.of(invitation.code(), PairingInvitation.groupedCode(invitation.code()),
                    laptop.pairing().token(), other.pairing().token(), gateway.token());
            List<String> texts = new ArrayList<>(List.of(log.text(), devices.out(), devices.err(), again.getMessage(),
                    Files.readString(new GatewayHome(home).runningFile()), Files.readString(new GatewayHome(home).pairedDevices()),
                    laptop.toString(), invitation.toString()));
            try (Stream<Path> records = Files.walk(gateway.presenceDir())) {
                for (Path r : records.filter(Files::isRegularFile).toList()) {
                    texts.add(Files.readString(r));
                }
            }
            for (String secret : secrets) {
                for (String text : texts) {
                    assertFalse(text.contains(secret), "a secret in: " + text);
                }
            }
            // every file of the trust is the owner's alone
            GatewayHome files = new GatewayHome(home);
            assertEquals("rw-------", mode(files.pairedDevices()));
            assertEquals("rw-------", mode(files.pairedDevices().resolveSibling("devices.json.lock")));
            assertEquals("rwx------", mode(files.pairingCodes()));
            try (Stream<Path> codes = Files.list(files.pairingCodes())) {
                assertEquals(List.of(), codes.toList(), "used codes leave nothing behind");
            }
            run("pair", "--home", home.toString(), "--no-qr");
            try (Stream<Path> codes = Files.list(files.pairingCodes())) {
                for (Path code : codes.toList()) {
                    assertEquals("rw-------", mode(code));
                }
            }
        }
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void anExpiredCodeIsRefusedAndGone() throws Exception {
        Gateway gateway = start(gateways.in(home));
        PairingInvitation invitation = issue(gateway);
        clock.advance(PairingCodes.VALIDITY.plusSeconds(1));
        GatewayException expired = failure(PairingRedemption.redeem(invitation, "laptop"));
        assertEquals(GatewayException.Kind.PAIRING_CODE_REFUSED, expired.kind(), expired.getMessage());
        assertEquals(410, expired.code());
        assertTrue(expired.getMessage().contains("expired"), expired.getMessage());
        assertEquals(401, failure(PairingRedemption.redeem(invitation, "laptop")).code(), "and gone");
    }

    @Test
    void guessedCodesLockPairingAndTheLockoutHoldsForTheRightCodeToo() throws Exception {
        try (CapturedLog log = new CapturedLog()) {
            Gateway gateway = start(gateways.in(home));
            PairingInvitation invitation = issue(gateway);
            List<String> guesses = List.of("AAAABBBBCCCC", "DDDDEEEEFFFF", "GGGGHHHHJJJJ", "KKKKMMMMNNNN", "PPPPQQQQRRRR");
            for (String guess : guesses) {
                GatewayException wrong = failure(PairingRedemption.redeem(withCode(invitation, guess), "guesser"));
                assertEquals(401, wrong.code(), wrong.getMessage());
            }
            GatewayException locked = failure(PairingRedemption.redeem(invitation, "laptop"));
            assertEquals(GatewayException.Kind.PAIRING_CODE_REFUSED, locked.kind(), locked.getMessage());
            assertEquals(429, locked.code());
            assertTrue(locked.getMessage().contains("too many wrong pairing codes"), locked.getMessage());
            clock.advance(PairingAttempts.LOCKOUT.minusSeconds(10));
            assertEquals(429, failure(PairingRedemption.redeem(invitation, "laptop")).code(), "the lockout holds");

            clock.advance(Duration.ofSeconds(11));
            PairingRedemption.Redeemed paired = await(PairingRedemption.redeem(invitation, "laptop"));
            assertEquals("laptop", paired.deviceName(), "the right code was not used up by the lockout");

            assertEquals(guesses.size(), log.warnings("refused a pairing code from 127.0.0.1: wrong or used").size(), log.text());
            assertTrue(log.warnings("refused a pairing request (from 127.0.0.1, while pairing is locked").size() >= 1, log.text());
            for (String code : concat(guesses, invitation.code())) {
                assertFalse(log.text().contains(code) || log.text().contains(PairingInvitation.groupedCode(code)),
                        "no code in the log");
            }
        }
    }

    private static List<String> concat(List<String> list, String more) {
        List<String> all = new ArrayList<>(list);
        all.add(more);
        return all;
    }

    @Test
    void aRevokedDeviceIsCutOffMidStreamAndItsTokenOpensNothing() throws Exception {
        TestGateway fixture = gateways.in(home);
        Gateway gateway = start(fixture);
        PairingRedemption.Redeemed laptop = await(PairingRedemption.redeem(issue(gateway), "laptop"));
        StandaloneGatewayConnector client = client(fixture, laptop.pairing(), "laptop");
        AttachedSession session = await(client.createSession(laptop.pairing().endpoint(), "streaming"));
        await(session.submit("go on"));
        ScriptedAgent.ScriptedTurn turn = agent.next();
        turn.say("streaming ");
        Await.until("the first delta", WAIT, () -> session.model().streamingText().equals("streaming "));

        Run revoke = run("revoke", "laptop", "--home", home.toString());
        assertEquals(0, revoke.status(), revoke.err());
        assertTrue(revoke.out().contains("revoked 'laptop'") && revoke.out().contains("closes its connections"), revoke.out());
        Await.until("the connection refused", WAIT, () -> session.connection().state() instanceof ConnectionState.Failed f
                && f.kind() == GatewayException.Kind.UNAUTHORIZED);
        turn.say("more");
        turn.finish();

        GatewayException refused = failure(client(fixture, laptop.pairing(), "laptop")
                .ensureGatewayForEndpoint(laptop.pairing().endpoint()));
        assertEquals(GatewayException.Kind.UNAUTHORIZED, refused.kind(), refused.getMessage());

        Run devices = run("devices", "--home", home.toString());
        assertFalse(devices.out().contains("laptop"), devices.out());
        Run unknown = run("revoke", "laptop", "--home", home.toString());
        assertEquals(66, unknown.status());
        assertTrue(unknown.err().contains("'gateway devices' lists them"), unknown.err());
    }

    @Test
    void aServerWithAnotherCertificateGetsNoCodeAndTheCodeStaysUsable() throws Exception {
        Gateway gateway = start(gateways.in(home));
        PairingInvitation invitation = issue(gateway);
        try (TlsImpostor impostor = TlsImpostor.start(scratch)) {
            int port = URI.create(impostor.endpoint()).getPort();
            GatewayException refused = failure(PairingRedemption.redeem(
                    new PairingInvitation("127.0.0.1", port, invitation.fingerprint(), invitation.code()), "laptop"));
            assertEquals(GatewayException.Kind.CERTIFICATE_CHANGED, refused.kind(), refused.getMessage());
            assertEquals(gateway.fingerprint(), refused.pinned());
            assertEquals(impostor.fingerprint(), refused.shown());
            assertTrue(refused.getMessage().contains("the pairing code is still unused"), refused.getMessage());
            assertEquals(List.of(), impostor.received(), "the impostor was sent nothing, the code least of all");
        }
        assertEquals("laptop", await(PairingRedemption.redeem(invitation, "laptop")).deviceName());
    }

    @Test
    void aDevicesFileOthersCouldChangeOrAPlantedLinkIsRefusedAndAPlantedCodeIsNoCode() throws Exception {
        GatewayHome files = new GatewayHome(home);
        Files.writeString(files.pairedDevices(), "{\"devices\":[]}");
        Files.setPosixFilePermissions(files.pairedDevices(), PosixFilePermissions.fromString("rw-rw-rw-"));
        Exception open = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> start(gateways.in(home)));
        assertTrue(String.valueOf(open.getMessage()).contains("chmod 600"), String.valueOf(open));
        Files.delete(files.pairedDevices());

        // a device of someone else's making, reached through a link planted at the file's name
        Path theirs = scratch.resolve("theirs.json");
        Files.writeString(theirs, "{\"devices\":[{\"id\":\"aa\",\"name\":\"planted\",\"token_sha256\":\""
                + org.agentchannels.core.SecretDigests.of("a planted device token") + "\"}]}");
        Files.setPosixFilePermissions(theirs, PosixFilePermissions.fromString("rw-------"));
        Files.createSymbolicLink(files.pairedDevices(), theirs);
        Exception linked = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> start(gateways.in(home)));
        assertTrue(String.valueOf(linked.getMessage()).contains("is not a regular file"), String.valueOf(linked));
        Files.delete(files.pairedDevices());

        // a code planted as a link in the codes' folder is no code
        Files.createDirectories(files.pairingCodes(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path expiry = scratch.resolve("expiry");
        Files.writeString(expiry, Long.toString(System.currentTimeMillis() + 600_000));
        Files.createSymbolicLink(files.pairingCodes().resolve(org.agentchannels.core.SecretDigests.of("ABCDEFGHJKMN")), expiry);
        Gateway gateway = start(gateways.in(home));
        PairingInvitation planted = new PairingInvitation("127.0.0.1", gateway.port(), gateway.fingerprint(), "ABCDEFGHJKMN");
        assertEquals(401, failure(PairingRedemption.redeem(planted, "laptop")).code());
        assertTrue(Files.exists(expiry), "the link's target is left alone");
    }

    @Test
    void pairingCodesNeedTls() throws Exception {
        TestGateway loopback = gateways.in(home);
        loopback.start(agent);
        Run pair = run("pair", "--home", home.toString());
        assertEquals(78, pair.status());
        assertTrue(pair.err().contains("loopback only") && pair.err().contains("--owner-token"), pair.err());
        HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + loopback.gateway.port() + "/api/pair"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"AAAABBBBCCCC\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, plain.statusCode(), "no pairing over plain HTTP");
        loopback.close();

        start(gateways.in(home), "--insecure-plaintext");
        Run insecure = run("pair", "--home", home.toString());
        assertEquals(78, insecure.status());
        assertTrue(insecure.err().contains("pairing codes need TLS"), insecure.err());
    }

    @Test
    void theQrCodeSaysTheLine() throws Exception {
        start(gateways.in(home));
        Run pair = run("pair", "--home", home.toString(), "--qr");
        assertEquals(0, pair.status(), pair.err());
        List<String> lines = pair.out().lines().toList();
        String line = lines.get(0);
        List<String> code = lines.subList(1, lines.size());
        assertTrue(code.size() > 10, pair.out());
        // each character holds two rows of modules: drawn where light (upper, lower or both), blank where dark
        int scale = 4;
        int width = code.get(0).length();
        int height = code.size() * 2;
        int[] pixels = new int[width * scale * height * scale];
        for (int row = 0; row < code.size(); row++) {
            for (int x = 0; x < width; x++) {
                char c = x < code.get(row).length() ? code.get(row).charAt(x) : ' ';
                boolean upperLight = c == '\u2588' || c == '\u2580';
                boolean lowerLight = c == '\u2588' || c == '\u2584';
                paint(pixels, width * scale, x, row * 2, scale, upperLight);
                paint(pixels, width * scale, x, row * 2 + 1, scale, lowerLight);
            }
        }
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(width * scale, height * scale, pixels)));
        assertEquals(line, new QRCodeReader().decode(bitmap, java.util.Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText());
    }

    private static void paint(int[] pixels, int stride, int x, int y, int scale, boolean light) {
        for (int dy = 0; dy < scale; dy++) {
            for (int dx = 0; dx < scale; dx++) {
                pixels[(y * scale + dy) * stride + x * scale + dx] = light ? 0xFFFFFF : 0x000000;
            }
        }
    }
}
