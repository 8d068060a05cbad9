package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.core.presence.PresenceRecord;
import org.agentchannels.gateway.Gateway;
import org.agentchannels.tests.gateway.GatewayExtension;
import org.agentchannels.tests.gateway.TestGateway;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.CapturedLog;
import org.agentchannels.tests.support.Mosquitto;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whom gateways believe on a team's broker: a {@code mqtts://} broker by its pinned key (alone, or beside the team's
 * authorities, both then required), against a real Mosquitto.
 */
@SuppressWarnings("resource") // the extension closes what it tracks
class TeamBrokerTrustTest {

    private static final String TEAM = "team-a";
    private static final String DESK_ENDPOINT = "ws://192.0.2.10:8664/api/ws";
    private static final String LAPTOP_ENDPOINT = "ws://192.0.2.20:8664/api/ws";

    @TempDir
    Path dir;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    @BeforeEach
    void mosquittoIsInstalled() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Mosquitto.isInstalled(),
                "needs Eclipse Mosquitto (" + Mosquitto.PROGRAM + "; ./agentchannels installs the Debian package mosquitto)");
    }

    /** A gateway named {@code device} in a home of its own, on the team's broker at {@code url}, with more options. */
    private TestGateway gatewayOn(String url, String device, String endpoint, String... more) throws Exception {
        TestGateway g = gateways.in(dir.resolve(device));
        List<String> args = new java.util.ArrayList<>(List.of("--device-name", device, "--advertise", endpoint,
                "--presence-broker", url, "--presence-broker-keepalive", "2"));
        args.addAll(List.of(more));
        g.gateway = Gateway.start(g.options(args.toArray(String[]::new)), new ScriptedAgent(), () -> "unused",
                Clock.systemUTC());
        return g;
    }

    private static GatewayConnection client(TestGateway g) throws Exception {
        return await(g.client("viewer").ensureGatewayForEndpoint(g.gateway.localEndpoint()));
    }

    private static Optional<PresenceRecord> listed(GatewayConnection c, String sessionId) {
        try {
            return await(c.presence()).stream().filter(r -> r.sessionId().equals(sessionId)).findFirst();
        } catch (Exception e) {
            throw new AssertionError("session.presence_list failed", e);
        }
    }

    /** {@code url} with a user in it, which an anonymous broker takes: the log lines of each gateway then differ. */
    private static String as(String user, String url) {
        return url.replace("://", "://" + user + "@");
    }

    @Test
    void aPinnedBrokerIsTrustedByItsKeyAloneAndAnotherKeyIsRefusedNamingBoth() throws Exception {
        // self-signed, and for another address than the URL's: neither an authority nor the name vouches for it
        Path certificate = dir.resolve("broker.crt");
        Path key = dir.resolve("broker.key");
        String pin = BrokerCertificates.selfSigned("192.0.2.1", certificate, key);
        String impostorPin = BrokerCertificates.selfSigned("127.0.0.1", dir.resolve("impostor.crt"), dir.resolve("impostor.key"));
        Mosquitto broker = gateways.track(Mosquitto.startTls(dir.resolve("broker"), certificate, key));
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(BrokerCertificates.OPENSSL), "needs openssl");
        assertEquals(pin, BrokerCertificates.fingerprintByOpenssl(broker.port()),
                "what docs/team-presence.md's openssl line reads off the broker is what the gateway pins");

        try (CapturedLog log = new CapturedLog()) {
            TestGateway desk = gatewayOn(broker.url(TEAM), "desk", DESK_ENDPOINT, "--presence-broker-fingerprint", pin);
            TestGateway laptop = gatewayOn(broker.url(TEAM), "laptop", LAPTOP_ENDPOINT, "--presence-broker-fingerprint", pin);
            String wrongUrl = as("wary", broker.url(TEAM));
            gatewayOn(wrongUrl, "wary", "ws://192.0.2.40:8664/api/ws", "--presence-broker-fingerprint", impostorPin);
            GatewayConnection onLaptop = client(laptop);
            String id = await(client(desk).createSession("Pinned", List.of())).sessionId();
            Await.until("the desk's session on the laptop, both trusting the broker by its key", WAIT,
                    () -> listed(onLaptop, id).isPresent());
            Await.until("the gateway with another pin refuses the broker, naming what it expected and what it was shown",
                    WAIT, () -> log.warnings("cannot connect to the presence broker " + wrongUrl).stream()
                            .anyMatch(w -> w.contains("has the key " + pin + ", not " + impostorPin)));
            assertFalse(log.text().contains("connected to the presence broker " + wrongUrl), log.text());
        }
    }

    @Test
    void aPinBesideACaFileConnectsOnlyWhenBothHold() throws Exception {
        Path certificate = dir.resolve("broker.crt");
        Path key = dir.resolve("broker.key");
        String pin = BrokerCertificates.selfSigned("127.0.0.1", certificate, key);
        Path otherAuthority = dir.resolve("other.crt");
        String otherPin = BrokerCertificates.selfSigned("127.0.0.1", otherAuthority, dir.resolve("other.key"));
        Mosquitto broker = gateways.track(Mosquitto.startTls(dir.resolve("broker"), certificate, key));
        String bothUrl = as("both", broker.url(TEAM));
        String wrongPinUrl = as("wrongpin", broker.url(TEAM));
        String wrongCaUrl = as("wrongca", broker.url(TEAM));
        try (CapturedLog log = new CapturedLog()) {
            gatewayOn(bothUrl, "both", DESK_ENDPOINT, "--presence-broker-fingerprint", pin, "--presence-broker-ca-file",
                    certificate.toString());
            gatewayOn(wrongPinUrl, "wrongpin", LAPTOP_ENDPOINT, "--presence-broker-fingerprint", otherPin,
                    "--presence-broker-ca-file", certificate.toString());
            gatewayOn(wrongCaUrl, "wrongca", "ws://192.0.2.30:8664/api/ws", "--presence-broker-fingerprint", pin,
                    "--presence-broker-ca-file", otherAuthority.toString());
            Await.until("the gateway whose authority and pin both hold connects", WAIT,
                    () -> log.text().contains("connected to the presence broker " + bothUrl));
            Await.until("the right authority does not make up for a wrong pin", WAIT,
                    () -> log.warnings("cannot connect to the presence broker " + wrongPinUrl).stream()
                            .anyMatch(w -> w.contains("has the key " + pin + ", not " + otherPin)));
            Await.until("nor the right pin for an authority the team does not trust", WAIT,
                    () -> !log.warnings("cannot connect to the presence broker " + wrongCaUrl).isEmpty());
            assertFalse(log.warnings("cannot connect to the presence broker " + wrongCaUrl).get(0).contains("has the key"),
                    "the pin held; the authorities refused");
            assertFalse(log.text().contains("connected to the presence broker " + wrongPinUrl), log.text());
            assertFalse(log.text().contains("connected to the presence broker " + wrongCaUrl), log.text());
        }
    }
}
