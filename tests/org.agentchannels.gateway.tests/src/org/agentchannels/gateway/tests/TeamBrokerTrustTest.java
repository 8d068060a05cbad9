package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.core.presence.PresenceRecord;
import org.agentchannels.gateway.Gateway;
import org.agentchannels.tests.gateway.GatewayExtension;
import org.agentchannels.tests.gateway.TestGateway;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.CapturedLog;
import org.agentchannels.tests.support.Mosquitto;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whom gateways believe on a team's broker: a {@code mqtts://} broker by its pinned key (alone, or beside the team's
 * authorities, both then required), and, under the ACL of docs/team-presence.md, what a client of the team or of
 * another team may not write, tried by a plain MQTT client against a real Mosquitto.
 */
@SuppressWarnings("resource") // the extension closes what it tracks
class TeamBrokerTrustTest {

    private static final String TEAM = "team-a";
    private static final String DESK_ENDPOINT = "ws://192.0.2.10:8664/api/ws";
    private static final String LAPTOP_ENDPOINT = "ws://192.0.2.20:8664/api/ws";
    /** MQTT 5's reason code for a publish the broker's ACL refused. */
    private static final int NOT_AUTHORIZED = 0x87;

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

    /**
     * The ACL of docs/team-presence.md for the users desk and laptop of team-a, and the same block for bob of
     * team-b: keep the two the same.
     */
    private static final String TEAMS_ACL = String.join("\n",
            "user desk",
            "topic read agentchannels/team-a/#",
            "topic write agentchannels/team-a/presence/desk/#",
            "",
            "user laptop",
            "topic read agentchannels/team-a/#",
            "topic write agentchannels/team-a/presence/laptop/#",
            "",
            "pattern write agentchannels/team-a/gateways/%c",
            "",
            "user bob",
            "topic read agentchannels/team-b/#",
            "topic write agentchannels/team-b/presence/bob/#",
            "",
            "pattern write agentchannels/team-b/gateways/%c",
            "");

    private static final Map<String, String> USERS = Map.of("desk", "desk-s3cret-pass", "laptop", "laptop-s3cret-pass",
            "bob", "bob-s3cret-pass");

    private TestGateway withPassword(Mosquitto broker, String device, String endpoint) throws Exception {
        Path file = Files.writeString(dir.resolve(device + "-broker-password"), USERS.get(device));
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return gatewayOn("mqtt://" + device + "@127.0.0.1:" + broker.port() + "/" + TEAM, device, endpoint,
                "--presence-broker-password-file", file.toString());
    }

    /** A plain MQTT 5 client, not a gateway, logged in as {@code user}; what it reads goes into {@code heard}. */
    private MqttAsyncClient rogue(Mosquitto broker, String user, String clientId, Map<String, String> heard)
            throws Exception {
        MqttAsyncClient c = new MqttAsyncClient("tcp://127.0.0.1:" + broker.port(), clientId, new MemoryPersistence());
        c.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                heard.put(topic, new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(user);
        options.setPassword(USERS.get(user).getBytes(StandardCharsets.UTF_8));
        c.connect(options).waitForCompletion(WAIT.toMillis());
        gateways.track(() -> {
            c.disconnect().waitForCompletion(WAIT.toMillis());
            c.close();
        });
        return c;
    }

    /** Publishes retained at QoS 1 and returns the broker's reason code for it (0: taken). */
    private static int retain(MqttAsyncClient c, String topic, String payload) throws Exception {
        try {
            IMqttToken token = c.publish(topic, new MqttMessage(payload.getBytes(StandardCharsets.UTF_8), 1, true,
                    new MqttProperties()));
            token.waitForCompletion(WAIT.toMillis());
            int[] codes = token.getReasonCodes();
            return codes == null || codes.length == 0 ? 0 : codes[0];
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    private static Optional<String> laptopLiveness(Map<String, String> read) {
        return read.entrySet().stream().filter(e -> e.getValue().contains("\"host\":\"laptop\"")).map(Map.Entry::getKey)
                .findFirst();
    }

    private static String record(String sessionId, String host, String instanceId) {
        double now = System.currentTimeMillis() / 1000.0;
        return new PresenceRecord(1, sessionId, "", "idle", "Planted " + sessionId, "", "", "agentchannels", "gateway",
                "default", "ws://192.0.2.66:8664/api/ws", host, 1, instanceId, now, now + 90, 0).toJson().toString();
    }

    @Test
    void underTheTeamsAclADeviceWritesNeitherAnotherDevicesRecordsNorItsLivenessAndAnotherTeamWritesNothingListed()
            throws Exception {
        Mosquitto broker = gateways.track(Mosquitto.startWithUsers(dir.resolve("broker"), USERS, TEAMS_ACL));
        TestGateway desk = withPassword(broker, "desk", DESK_ENDPOINT);
        TestGateway laptop = withPassword(broker, "laptop", LAPTOP_ENDPOINT);
        GatewayConnection onDesk = client(desk);
        GatewayConnection onLaptop = client(laptop);
        String laptopSession = await(onLaptop.createSession("The laptop's own", List.of())).sessionId();
        Await.until("the laptop's session on the desk", WAIT, () -> listed(onDesk, laptopSession).isPresent());

        // someone with the desk's broker password, and a client of their own (not a gateway)
        Map<String, String> read = new ConcurrentHashMap<>();
        MqttAsyncClient rogue = rogue(broker, "desk", "rogue-1", read);
        String a = "agentchannels/" + TEAM + "/";
        assertEquals(0, retain(rogue, a + "gateways/rogue-1", "{\"instance_id\":\"rogue-1\"}"),
                "its own liveness, by its client id, it may write");
        assertEquals(NOT_AUTHORIZED, retain(rogue, a + "presence/laptop/rogue-1/forged01",
                record("forged01", "laptop", "rogue-1")), "a record under the laptop's device: " + broker.log());
        // under its own device, but saying it is the laptop's: the broker takes it, the gateways do not
        assertEquals(0, retain(rogue, a + "presence/desk/rogue-1/dressed1", record("dressed1", "laptop", "rogue-1")));
        // the laptop gateway's liveness, read off the team's tree, emptied as its Will would
        rogue.subscribe(a + "gateways/+", 1).waitForCompletion(WAIT.toMillis());
        Await.until("the laptop gateway's liveness read", WAIT, () -> laptopLiveness(read).isPresent());
        assertEquals(NOT_AUTHORIZED, retain(rogue, laptopLiveness(read).get(), ""), "another gateway's liveness");

        // a client of team-b, with a record under team-a's prefix
        MqttAsyncClient bob = rogue(broker, "bob", "bob-1", new ConcurrentHashMap<>());
        assertEquals(NOT_AUTHORIZED, retain(bob, a + "presence/bob/bob-1/teamb001", record("teamb001", "bob", "bob-1")));
        retain(bob, a + "gateways/bob-1", "{\"instance_id\":\"bob-1\"}"); // a liveness alone lists nothing (see the docs)

        // what the desk's password may write, published after all the above: once listed, the rest had its chance
        assertEquals(0, retain(rogue, a + "presence/desk/rogue-1/marker01", record("marker01", "desk", "rogue-1")));
        for (GatewayConnection c : List.of(onDesk, onLaptop)) {
            Await.until("the marker on every gateway", WAIT, () -> listed(c, "marker01").isPresent());
            assertTrue(listed(c, "forged01").isEmpty(), "a record the ACL refused is listed nowhere");
            assertTrue(listed(c, "dressed1").isEmpty(), "nor one whose host is not its topic's device");
            assertTrue(listed(c, "teamb001").isEmpty(), "nor another team's client's");
        }
        assertTrue(listed(onDesk, laptopSession).isPresent(), "the laptop's liveness stood: its session is listed still");
    }
}
