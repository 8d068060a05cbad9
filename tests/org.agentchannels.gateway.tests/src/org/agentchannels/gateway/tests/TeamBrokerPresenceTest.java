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
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.core.presence.PresenceRecord;
import org.agentchannels.gateway.Gateway;
import org.agentchannels.tests.gateway.GatewayExtension;
import org.agentchannels.tests.gateway.GatewayProcess;
import org.agentchannels.tests.gateway.TestGateway;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.CapturedLog;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.tests.support.FaultProxy;
import org.agentchannels.tests.support.ManualClock;
import org.agentchannels.tests.support.Mosquitto;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gateways on two devices with presence folders of their own, linked only by a real Mosquitto: each lists the
 * other's sessions, follows their status, loses them at a clean stop and when the other is cut off; the broker
 * down at the start, and what others publish on the team's topics (broken, another team's, a dead gateway's).
 */
@SuppressWarnings("resource") // the extension closes what it tracks
class TeamBrokerPresenceTest {

    private static final String TEAM = "team-a";
    private static final String DESK_ENDPOINT = "ws://192.0.2.10:8664/api/ws";
    private static final String LAPTOP_ENDPOINT = "ws://192.0.2.20:8664/api/ws";
    /** How long the broker may take to notice a silent gateway (1.5 keepalives of 2 s) and tell the others: a watchdog. */
    private static final Duration GONE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    @BeforeEach
    void mosquittoIsInstalled() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Mosquitto.isInstalled(),
                "needs Eclipse Mosquitto (" + Mosquitto.PROGRAM + "; ./agentchannels installs the Debian package mosquitto)");
    }

    /** A gateway named {@code device} in a home (and presence folder) of its own, on the team's broker at {@code url}. */
    private TestGateway gatewayOn(String url, String device, String endpoint, ScriptedAgent agent) throws Exception {
        TestGateway g = gateways.in(dir.resolve(device));
        g.gateway = Gateway.start(g.options("--device-name", device, "--advertise", endpoint, "--presence-broker", url,
                "--presence-broker-keepalive", "2"), agent, () -> "unused", Clock.systemUTC());
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

    private static List<String> folderSessions(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    @Test
    void twoGatewaysSeeEachOthersSessionsThroughTheBrokerFollowTheirStatusAndLoseThemAtACleanStop() throws Exception {
        Mosquitto broker = gateways.track(Mosquitto.start(dir.resolve("broker")));
        ScriptedAgent deskAgent = new ScriptedAgent();
        TestGateway desk = gatewayOn(broker.url(TEAM), "desk", DESK_ENDPOINT, deskAgent);
        TestGateway laptop = gatewayOn(broker.url(TEAM), "laptop", LAPTOP_ENDPOINT, new ScriptedAgent());
        GatewayConnection onDesk = client(desk);
        GatewayConnection onLaptop = client(laptop);

        String id = await(onDesk.createSession("Write the docs", List.of())).sessionId();
        Await.until("the desk's session in the laptop's presence list", WAIT, () -> listed(onLaptop, id).isPresent());
        PresenceRecord r = listed(onLaptop, id).orElseThrow();
        assertEquals(DESK_ENDPOINT, r.endpoint());
        assertEquals("desk", r.host());
        assertEquals("Write the docs", r.title());
        assertEquals("idle", r.status());
        assertEquals(r.updatedAt() + PresenceRecord.DEFAULT_TTL_SECONDS, r.expiresAt(), 0.001);
        assertFalse(folderSessions(laptop.gateway.presenceDir()).stream().anyMatch(f -> f.contains(id)),
                "the folders are apart: only the broker links the two");
        String laptopId = await(onLaptop.createSession("Review", List.of())).sessionId();
        Await.until("and the other way round", WAIT, () -> listed(onDesk, laptopId).isPresent());
        assertEquals(1, await(onLaptop.presence()).stream().filter(x -> x.sessionId().equals(laptopId)).count(),
                "its own session, in its folder and on the broker, is listed once");

        await(onDesk.submitPrompt(id, "go", "", "", WAIT));
        ScriptedAgent.ScriptedTurn turn = deskAgent.next();
        Await.until("working on the laptop", WAIT, () -> listed(onLaptop, id).map(x -> x.status().equals("working")).orElse(false));
        turn.finish();
        Await.until("idle again on the laptop", WAIT, () -> listed(onLaptop, id).map(x -> x.status().equals("idle")).orElse(false));

        desk.close();
        Await.until("the desk's session gone from the laptop's list after its clean stop", WAIT,
                () -> listed(onLaptop, id).isEmpty());
        // what the stop cleared is gone from the broker too: a gateway joining now reads nothing of the desk
        TestGateway tablet = gatewayOn(broker.url(TEAM), "tablet", "ws://192.0.2.30:8664/api/ws", new ScriptedAgent());
        GatewayConnection onTablet = client(tablet);
        Await.until("the tablet reads the laptop's session", WAIT, () -> listed(onTablet, laptopId).isPresent());
        assertTrue(listed(onTablet, id).isEmpty(), "the retained record was cleared, not only hidden");
    }

    @Test
    void aGatewayCutOffFromTheBrokerLeavesTheOthersListsWhileItsFolderKeepsWorking() throws Exception {
        Mosquitto broker = gateways.track(Mosquitto.start(dir.resolve("broker")));
        FaultProxy cable = gateways.track(new FaultProxy(broker.port()));
        TestGateway laptop = gatewayOn(broker.url(TEAM), "laptop", LAPTOP_ENDPOINT, new ScriptedAgent());
        TestGateway desk = gatewayOn("mqtt://127.0.0.1:" + cable.port() + "/" + TEAM, "desk", DESK_ENDPOINT,
                new ScriptedAgent());
        GatewayConnection onLaptop = client(laptop);
        GatewayConnection onDesk = client(desk);
        String id = await(onDesk.createSession("Long build", List.of())).sessionId();
        Await.until("the desk's session on the laptop", WAIT, () -> listed(onLaptop, id).isPresent());

        // the desk falls silent without a word to the broker, and cannot come back
        cable.refuse(true);
        cable.stall(true);
        Await.until("the broker's Will to take the desk's session off the laptop's list", GONE,
                () -> listed(onLaptop, id).isEmpty());
        assertTrue(desk.gateway != null && listed(onDesk, id).isPresent(), "the desk itself still lists it, from its folder");
        assertTrue(folderSessions(desk.gateway.presenceDir()).stream().anyMatch(f -> f.contains(id)));
    }

    @Test
    void aGatewayBackFromACutClearsTheRecordsOfSessionsThatEndedMeanwhileAndPublishesTheRest() throws Exception {
        Mosquitto broker = gateways.track(Mosquitto.start(dir.resolve("broker")));
        FaultProxy cable = gateways.track(new FaultProxy(broker.port()));
        TestGateway laptop = gatewayOn(broker.url(TEAM), "laptop", LAPTOP_ENDPOINT, new ScriptedAgent());
        TestGateway desk = gatewayOn("mqtt://127.0.0.1:" + cable.port() + "/" + TEAM, "desk", DESK_ENDPOINT,
                new ScriptedAgent());
        GatewayConnection onLaptop = client(laptop);
        GatewayConnection onDesk = client(desk);
        String kept = await(onDesk.createSession("Kept", List.of())).sessionId();
        String ended = await(onDesk.createSession("Ended while away", List.of())).sessionId();
        Await.until("both on the laptop", WAIT, () -> listed(onLaptop, kept).isPresent() && listed(onLaptop, ended).isPresent());

        cable.refuse(true);
        cable.cutAll();
        Await.until("the Will takes both off the laptop's list", GONE,
                () -> listed(onLaptop, kept).isEmpty() && listed(onLaptop, ended).isEmpty());
        await(onDesk.closeSession(ended)); // its record is still retained on the broker, for up to 90 s
        cable.refuse(false);
        Await.until("the desk back, with the session it kept", GONE, () -> listed(onLaptop, kept).isPresent());

        // a gateway joining now reads what the broker retains: the ended session's record was cleared
        TestGateway tablet = gatewayOn(broker.url(TEAM), "tablet", "ws://192.0.2.30:8664/api/ws", new ScriptedAgent());
        GatewayConnection onTablet = client(tablet);
        Await.until("the kept session on the tablet", WAIT, () -> listed(onTablet, kept).isPresent());
        String marker = await(onDesk.createSession("After the join", List.of())).sessionId();
        Await.until("a session published after the tablet's subscription, so after what was retained", WAIT,
                () -> listed(onTablet, marker).isPresent());
        assertTrue(listed(onTablet, ended).isEmpty(), "the record of the session that ended while away is gone");
        assertTrue(listed(onLaptop, ended).isEmpty());
    }

    @Test
    void theLateWillOfADeadGatewayDoesNotClearItsSuccessorOfTheSameHostAndPid() throws Exception {
        Mosquitto broker = gateways.track(Mosquitto.start(dir.resolve("broker")));
        FaultProxy cable = gateways.track(new FaultProxy(broker.port()));
        TestGateway laptop = gatewayOn(broker.url(TEAM), "laptop", LAPTOP_ENDPOINT, new ScriptedAgent());
        GatewayConnection onLaptop = client(laptop);
        TestGateway dead = gatewayOn("mqtt://127.0.0.1:" + cable.port() + "/" + TEAM, "desk", DESK_ENDPOINT,
                new ScriptedAgent());
        String old = await(client(dead).createSession("Before the crash", List.of())).sessionId();
        Await.until("the first desk's session on the laptop", WAIT, () -> listed(onLaptop, old).isPresent());

        // the first desk falls silent; its successor (in this JVM: the same host name and pid, so the same
        // instance_id, as a container restarted) starts before the broker has noticed
        cable.refuse(true);
        cable.stall(true);
        TestGateway successor = gateways.in(dir.resolve("desk-again"));
        successor.gateway = Gateway.start(successor.options("--device-name", "desk", "--advertise", DESK_ENDPOINT,
                "--presence-broker", broker.url(TEAM), "--presence-broker-keepalive", "2"), new ScriptedAgent(),
                () -> "unused", Clock.systemUTC());
        String fresh = await(client(successor).createSession("After the restart", List.of())).sessionId();
        Await.until("the successor's session on the laptop", WAIT, () -> listed(onLaptop, fresh).isPresent());
        Await.until("the dead desk's Will", GONE, () -> listed(onLaptop, old).isEmpty());
        assertTrue(listed(onLaptop, fresh).isPresent(), "the Will cleared the dead gateway's liveness only");
    }

    @Test
    void aBrokerWithPasswordsLetsInTheGatewaysWithTheirsAndRefusesAWrongOneSayingSoWithoutIt() throws Exception {
        Mosquitto broker = gateways.track(Mosquitto.startWithUsers(dir.resolve("broker"),
                java.util.Map.of("desk-gw", "desk-s3cret-pass", "laptop-gw", "laptop-s3cret-pass")));
        try (CapturedLog log = new CapturedLog()) {
            TestGateway desk = withPassword(broker, "desk", DESK_ENDPOINT, "desk-gw", "desk-s3cret-pass");
            TestGateway laptop = withPassword(broker, "laptop", LAPTOP_ENDPOINT, "laptop-gw", "laptop-s3cret-pass");
            withPassword(broker, "intruder", "ws://192.0.2.40:8664/api/ws", "desk-gw", "a-guessed-s3cret-pass");
            GatewayConnection onLaptop = client(laptop);
            String id = await(client(desk).createSession("Behind a password", List.of())).sessionId();
            Await.until("the desk's session on the laptop, both let in", WAIT, () -> listed(onLaptop, id).isPresent());
            Await.until("the intruder told why it is not on the broker", WAIT,
                    () -> !log.warnings("cannot connect to the presence broker mqtt://desk-gw@").isEmpty());
            assertFalse(log.text().contains("s3cret-pass"), log.text());
        }
    }

    /** The ACL of docs/team-presence.md, for the users desk and laptop of team-a. */
    private static final String TEAM_ACL = String.join("\n",
            "user desk",
            "topic read agentchannels/team-a/#",
            "topic write agentchannels/team-a/presence/desk/#",
            "",
            "user laptop",
            "topic read agentchannels/team-a/#",
            "topic write agentchannels/team-a/presence/laptop/#",
            "",
            "pattern write agentchannels/team-a/gateways/%c",
            "");

    @Test
    void gatewaysWorkOnABrokerWhoseAclLetsEachWriteOnlyItsOwnDevicesRecordsAndItsOwnLiveness() throws Exception {
        Mosquitto broker = gateways.track(Mosquitto.startWithUsers(dir.resolve("broker"),
                java.util.Map.of("desk", "desk-s3cret-pass", "laptop", "laptop-s3cret-pass"), TEAM_ACL));
        FaultProxy cable = gateways.track(new FaultProxy(broker.port()));
        TestGateway laptop = withPassword(broker, "laptop", LAPTOP_ENDPOINT, "laptop", "laptop-s3cret-pass");
        Path file = Files.writeString(dir.resolve("desk-password"), "desk-s3cret-pass");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        TestGateway desk = gateways.in(dir.resolve("desk"));
        desk.gateway = Gateway.start(desk.options("--device-name", "desk", "--advertise", DESK_ENDPOINT,
                "--presence-broker", "mqtt://desk@127.0.0.1:" + cable.port() + "/" + TEAM, "--presence-broker-password-file",
                file.toString(), "--presence-broker-keepalive", "2"), new ScriptedAgent(), () -> "unused", Clock.systemUTC());
        GatewayConnection onLaptop = client(laptop);
        GatewayConnection onDesk = client(desk);
        String deskSession = await(onDesk.createSession("Desk", List.of())).sessionId();
        String laptopSession = await(onLaptop.createSession("Laptop", List.of())).sessionId();
        Await.until("each sees the other's session", WAIT,
                () -> listed(onLaptop, deskSession).isPresent() && listed(onDesk, laptopSession).isPresent());
        // the Will is on the gateway's own liveness topic, which the ACL lets it write: the broker fires it
        cable.refuse(true);
        cable.cutAll();
        Await.until("the desk's Will under the ACL", GONE, () -> listed(onLaptop, deskSession).isEmpty());
    }

    /** A gateway on {@code broker} as {@code user}, its password in an owner-only file. */
    private TestGateway withPassword(Mosquitto broker, String device, String endpoint, String user, String password)
            throws Exception {
        Path file = Files.writeString(dir.resolve(device + "-broker-password"), password);
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        TestGateway g = gateways.in(dir.resolve(device));
        g.gateway = Gateway.start(g.options("--device-name", device, "--advertise", endpoint, "--presence-broker",
                "mqtt://" + user + "@127.0.0.1:" + broker.port() + "/" + TEAM, "--presence-broker-password-file",
                file.toString(), "--presence-broker-keepalive", "2"), new ScriptedAgent(), () -> "unused", Clock.systemUTC());
        return g;
    }

    @Test
    void aTlsBrokerIsReachedWithTheTeamsAuthorityAndOneWithAnotherCertificateIsRefused() throws Exception {
        Path brokerCertificate = dir.resolve("broker.crt");
        Path brokerKey = dir.resolve("broker.key");
        BrokerCertificates.selfSigned("127.0.0.1", brokerCertificate, brokerKey);
        Path impostorCertificate = dir.resolve("impostor.crt");
        BrokerCertificates.selfSigned("127.0.0.1", impostorCertificate, dir.resolve("impostor.key"));
        Mosquitto broker = gateways.track(Mosquitto.startTls(dir.resolve("broker"), brokerCertificate, brokerKey));
        try (CapturedLog log = new CapturedLog()) {
            TestGateway desk = withCa(broker, "desk", DESK_ENDPOINT, brokerCertificate);
            TestGateway laptop = withCa(broker, "laptop", LAPTOP_ENDPOINT, brokerCertificate);
            // trusts another authority: the broker's certificate is not one it accepts
            withCa(broker, "wary", "ws://192.0.2.40:8664/api/ws", impostorCertificate);
            GatewayConnection onLaptop = client(laptop);
            String id = await(client(desk).createSession("Over TLS", List.of())).sessionId();
            Await.until("the desk's session on the laptop, through the TLS broker", WAIT,
                    () -> listed(onLaptop, id).isPresent());
            Await.until("the wary gateway says it cannot connect", WAIT,
                    () -> !log.warnings("cannot connect to the presence broker " + broker.url(TEAM)).isEmpty());
        }
        // a certificate the gateway trusts, but for another address than the URL's: refused as well
        Path elsewhereCertificate = dir.resolve("elsewhere.crt");
        Path elsewhereKey = dir.resolve("elsewhere.key");
        BrokerCertificates.selfSigned("192.0.2.1", elsewhereCertificate, elsewhereKey);
        Mosquitto misnamed = gateways.track(Mosquitto.startTls(dir.resolve("misnamed"), elsewhereCertificate, elsewhereKey));
        try (CapturedLog log = new CapturedLog()) {
            withCa(misnamed, "strict", "ws://192.0.2.50:8664/api/ws", elsewhereCertificate);
            Await.until("the strict gateway refuses a certificate for another address", WAIT,
                    () -> log.warnings("cannot connect to the presence broker " + misnamed.url(TEAM)).stream()
                            .anyMatch(w -> w.contains("127.0.0.1 found")));
        }
    }

    @Test
    void aCaFileWithoutCertificatesStopsTheStartSayingSo() throws Exception {
        Path notPem = Files.writeString(dir.resolve("not.pem"), "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");
        TestGateway g = gateways.in(dir.resolve("desk"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Gateway.start(g.options("--presence-broker", "mqtts://127.0.0.1:8883/" + TEAM,
                        "--presence-broker-ca-file", notPem.toString()), new ScriptedAgent(), () -> "unused", Clock.systemUTC()));
        assertTrue(e.getMessage().startsWith("--presence-broker mqtts://127.0.0.1:8883/" + TEAM + ": --presence-broker-ca-file "
                + notPem + ": not PEM certificates"), e.getMessage());
        // and the home is free for the next start: nothing was left open or announced
        g.gateway = Gateway.start(g.options(), new ScriptedAgent(), () -> "unused", Clock.systemUTC());
    }

    private TestGateway withCa(Mosquitto broker, String device, String endpoint, Path caFile) throws Exception {
        TestGateway g = gateways.in(dir.resolve(device));
        g.gateway = Gateway.start(g.options("--device-name", device, "--advertise", endpoint, "--presence-broker",
                broker.url(TEAM), "--presence-broker-ca-file", caFile.toString(), "--presence-broker-keepalive", "2"),
                new ScriptedAgent(), () -> "unused", Clock.systemUTC());
        return g;
    }

    @Test
    void aGatewayProcessKilledLeavesTheOthersListsThroughTheBrokersWill() throws Exception {
        Mosquitto broker = gateways.track(Mosquitto.start(dir.resolve("broker")));
        TestGateway laptop = gatewayOn(broker.url(TEAM), "laptop", LAPTOP_ENDPOINT, new ScriptedAgent());
        GatewayConnection onLaptop = client(laptop);
        // started as the workbench starts one: its own process, its class path from the installed bundles
        GatewayProcess desk = gateways.track(GatewayProcess.start(dir.resolve("desk"), List.of("--device-name", "desk",
                "--advertise", DESK_ENDPOINT, "--presence-broker", broker.url(TEAM), "--presence-broker-keepalive", "2")));
        InMemoryTokenStore tokens = new InMemoryTokenStore();
        tokens.put(desk.endpoint(), desk.token());
        StandaloneGatewayConnector deskClient = gateways.track(GatewayConnectors.standalone(tokens, "viewer",
                ConnectorExtension.fastBackoff()));
        String id = await(await(deskClient.ensureGatewayForEndpoint(desk.endpoint())).createSession("On the desk", List.of()))
                .sessionId();
        Await.until("the desk process's session on the laptop", WAIT, () -> listed(onLaptop, id).isPresent());
        assertTrue(desk.log().contains("team broker " + broker.url(TEAM)), desk.log());

        desk.kill();
        Await.until("the killed desk's session gone from the laptop's list", GONE, () -> listed(onLaptop, id).isEmpty());
    }

    @Test
    void brokenPayloadsAreSkippedAndNamedOnceAndNeitherAnotherTeamsNorADeadGatewaysRecordsAreListed() throws Exception {
        Mosquitto broker = gateways.track(Mosquitto.start(dir.resolve("broker")));
        double now = System.currentTimeMillis() / 1000.0;
        MqttClient planter = new MqttClient("tcp://127.0.0.1:" + broker.port(), "planter", new MemoryPersistence());
        planter.connect();
        gateways.track(() -> {
            planter.disconnect();
            planter.close();
        });
        String a = "agentchannels/" + TEAM + "/";
        retain(planter, a + "gateways/evil-1", "{\"instance_id\":\"evil-1\"}");
        retain(planter, a + "presence/evil/evil-1/broken01", "{\"session_id\": \"broken01\", ");
        retain(planter, a + "presence/evil/evil-1/good0001", record("good0001", "evil", "evil-1", now));
        // a gateway whose liveness is gone: its records are retained still, but it is dead
        retain(planter, a + "presence/ghost/dead-1/dead0001", record("dead0001", "ghost", "dead-1", now));
        // another team's, live and well formed
        retain(planter, "agentchannels/team-b/gateways/other-1", "{\"instance_id\":\"other-1\"}");
        retain(planter, "agentchannels/team-b/presence/other/other-1/other001", record("other001", "other", "other-1", now));

        try (CapturedLog log = new CapturedLog()) {
            TestGateway laptop = gatewayOn(broker.url(TEAM), "laptop", LAPTOP_ENDPOINT, new ScriptedAgent());
            GatewayConnection onLaptop = client(laptop);
            Await.until("the well-formed record of a live gateway", WAIT, () -> listed(onLaptop, "good0001").isPresent());
            assertTrue(listed(onLaptop, "dead0001").isEmpty(), "a gateway without liveness lists nothing");
            assertTrue(listed(onLaptop, "other001").isEmpty(), "another team's prefix is never read");
            assertTrue(listed(onLaptop, "broken01").isEmpty());

            // broken again, then a marker after it: the second time is not named again
            retain(planter, a + "presence/evil/evil-1/broken01", "not json at all");
            retain(planter, a + "presence/evil/evil-1/good0002", record("good0002", "evil", "evil-1", now));
            Await.until("the marker", WAIT, () -> listed(onLaptop, "good0002").isPresent());
            assertEquals(1, log.warnings(a + "presence/evil/evil-1/broken01").size(), log.text());

            // the dead gateway's liveness going (its Will, say) takes all of its records at once
            retain(planter, a + "gateways/evil-1", "");
            Await.until("the evil gateway's records gone", WAIT,
                    () -> listed(onLaptop, "good0001").isEmpty() && listed(onLaptop, "good0002").isEmpty());
        }
    }

    @Test
    void aBrokerDownAtTheStartIsSaidOnceAndJoinedWhenItComesUpAndAfterARestart() throws Exception {
        Mosquitto broker = gateways.track(Mosquitto.notStarted(dir.resolve("broker")));
        Path password = Files.writeString(dir.resolve("broker-password"), "s3cret-broker-password");
        Files.setPosixFilePermissions(password, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        try (CapturedLog log = new CapturedLog()) {
            // a user and a password (this broker lets anyone in, so it takes them too): neither is logged
            TestGateway desk = gateways.in(dir.resolve("desk"));
            desk.gateway = Gateway.start(desk.options("--device-name", "desk", "--advertise", DESK_ENDPOINT,
                    "--presence-broker", "mqtt://desk-gw@127.0.0.1:" + broker.port() + "/" + TEAM,
                    "--presence-broker-password-file", password.toString(), "--presence-broker-keepalive", "2"),
                    new ScriptedAgent(), () -> "unused", Clock.systemUTC());
            GatewayConnection onDesk = client(desk);
            String id = await(onDesk.createSession("Offline first", List.of())).sessionId();
            Await.until("the folder works without the broker", WAIT,
                    () -> listed(onDesk, id).isPresent());
            Await.until("the gateway to say the broker is unreachable", WAIT,
                    () -> !log.warnings("cannot connect to the presence broker").isEmpty());

            broker.start();
            TestGateway laptop = gatewayOn(broker.url(TEAM), "laptop", LAPTOP_ENDPOINT, new ScriptedAgent());
            GatewayConnection onLaptop = client(laptop);
            Await.until("the desk connects and publishes what it had", GONE, () -> listed(onLaptop, id).isPresent());
            assertEquals(1, log.warnings("cannot connect to the presence broker").size(), "said once, not at every retry");
            assertFalse(log.text().contains("s3cret-broker-password"), log.text());

            // the broker restarted empty (nothing persisted): both reconnect and the desk publishes again
            broker.stop();
            broker.start();
            TestGateway tablet = gatewayOn(broker.url(TEAM), "tablet", "ws://192.0.2.30:8664/api/ws", new ScriptedAgent());
            GatewayConnection onTablet = client(tablet);
            Await.until("the desk's session on the restarted broker", GONE, () -> listed(onTablet, id).isPresent());
        }
    }

    private static void retain(MqttClient client, String topic, String payload) throws Exception {
        retain(client, topic, payload, null);
    }

    /** @param expirySeconds the message's MQTT 5 expiry, or {@code null} for none */
    private static void retain(MqttClient client, String topic, String payload, Long expirySeconds) throws Exception {
        org.eclipse.paho.mqttv5.common.packet.MqttProperties properties = new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
        if (expirySeconds != null) {
            properties.setMessageExpiryInterval(expirySeconds);
        }
        client.publish(topic, new MqttMessage(payload.getBytes(StandardCharsets.UTF_8), 1, true, properties));
    }

    /** A record of the device {@code host} (its topic's device level), written at {@code now}, living 90 s. */
    private static String record(String sessionId, String host, String instanceId, double now) {
        return new PresenceRecord(1, sessionId, "", "idle", "Planted " + sessionId, "", "", "agentchannels", "gateway",
                "default", "ws://192.0.2.66:8664/api/ws", host, 1, instanceId, now, now + 90, 0).toJson().toString();
    }

    @Test
    void aRecordPastItsLifetimeLeavesTheListEvenThoughTheBrokerNeverSaysSo() throws Exception {
        Mosquitto broker = gateways.track(Mosquitto.start(dir.resolve("broker")));
        MqttClient planter = new MqttClient("tcp://127.0.0.1:" + broker.port(), "planter", new MemoryPersistence());
        planter.connect();
        gateways.track(() -> {
            planter.disconnect();
            planter.close();
        });
        // the laptop's clock moves when the test says; its presence refresh, and so its check of what it read, is short
        ManualClock clock = new ManualClock(System.currentTimeMillis());
        TestGateway laptop = gateways.in(dir.resolve("laptop"));
        laptop.gateway = Gateway.start(laptop.options("--device-name", "laptop", "--advertise", LAPTOP_ENDPOINT,
                "--presence-broker", broker.url(TEAM), "--presence-broker-keepalive", "2"), new ScriptedAgent(),
                () -> "unused", clock, Duration.ofMillis(100));
        GatewayConnection onLaptop = client(laptop);

        // a live gateway's records, retained with the record's lifetime as their message expiry, as gateways do;
        // nothing clears them: the broker lets a retained message expire without a word to those holding it
        String a = "agentchannels/" + TEAM + "/";
        retain(planter, a + "gateways/desk-1", "{\"instance_id\":\"desk-1\"}", null);
        double start = clock.millis() / 1000.0;
        retain(planter, a + "presence/desk/desk-1/older001", record("older001", "desk", "desk-1", start), 90L);
        Await.until("the record on the laptop", WAIT, () -> listed(onLaptop, "older001").isPresent());
        clock.advance(Duration.ofSeconds(60));
        retain(planter, a + "presence/desk/desk-1/newer001", record("newer001", "desk", "desk-1", start + 60), 90L);
        Await.until("a record written a minute later", WAIT, () -> listed(onLaptop, "newer001").isPresent());
        assertTrue(listedAll(onLaptop, "older001"), "not past its lifetime yet: kept through many checks");

        clock.advance(Duration.ofSeconds(31)); // the first is 91 s old now, the second 31 s
        Await.until("the expired record dropped from what the laptop holds, asked with the expired ones too", WAIT,
                () -> !listedAll(onLaptop, "older001"));
        assertTrue(listedAll(onLaptop, "newer001"), "the record still within its lifetime stays");
        assertTrue(listed(onLaptop, "newer001").isPresent());
    }

    /** Whether {@code session.presence_list} with the expired records too lists {@code sessionId}. */
    private static boolean listedAll(GatewayConnection c, String sessionId) {
        try {
            return await(c.presence(true)).stream().anyMatch(r -> r.sessionId().equals(sessionId));
        } catch (Exception e) {
            throw new AssertionError("session.presence_list failed", e);
        }
    }

    /** A client of the gateway running in its own process. */
    private GatewayConnection client(GatewayProcess process) throws Exception {
        InMemoryTokenStore tokens = new InMemoryTokenStore();
        tokens.put(process.endpoint(), process.token());
        StandaloneGatewayConnector connector = gateways.track(GatewayConnectors.standalone(tokens, "viewer",
                ConnectorExtension.fastBackoff()));
        return await(connector.ensureGatewayForEndpoint(process.endpoint()));
    }

    @Test
    void threeGatewaysEachListTheOtherTwosSessionsAndOneKilledLeavesTheOthersWhileTheirsStay() throws Exception {
        Mosquitto broker = gateways.track(Mosquitto.start(dir.resolve("broker")));
        TestGateway laptop = gatewayOn(broker.url(TEAM), "laptop", LAPTOP_ENDPOINT, new ScriptedAgent());
        TestGateway tablet = gatewayOn(broker.url(TEAM), "tablet", "ws://192.0.2.30:8664/api/ws", new ScriptedAgent());
        // the one to be killed: a process of its own, as the workbench starts one
        GatewayProcess desk = gateways.track(GatewayProcess.start(dir.resolve("desk"), List.of("--device-name", "desk",
                "--advertise", DESK_ENDPOINT, "--presence-broker", broker.url(TEAM), "--presence-broker-keepalive", "2")));
        GatewayConnection onLaptop = client(laptop);
        GatewayConnection onTablet = client(tablet);
        GatewayConnection onDesk = client(desk);
        String laptopId = await(onLaptop.createSession("On the laptop", List.of())).sessionId();
        String tabletId = await(onTablet.createSession("On the tablet", List.of())).sessionId();
        String deskId = await(onDesk.createSession("On the desk", List.of())).sessionId();

        Await.until("every gateway lists the other two's sessions", WAIT,
                () -> listed(onLaptop, tabletId).isPresent() && listed(onLaptop, deskId).isPresent()
                        && listed(onTablet, laptopId).isPresent() && listed(onTablet, deskId).isPresent()
                        && listed(onDesk, laptopId).isPresent() && listed(onDesk, tabletId).isPresent());
        assertEquals("desk", listed(onTablet, deskId).orElseThrow().host());
        assertEquals("tablet", listed(onLaptop, tabletId).orElseThrow().host());
        assertEquals("laptop", listed(onDesk, laptopId).orElseThrow().host());

        desk.kill(); // SIGKILL: no clean stop, only the broker's Will after 1.5 keepalives of 2 s
        Await.until("the killed desk's session gone from both other lists", GONE,
                () -> listed(onLaptop, deskId).isEmpty() && listed(onTablet, deskId).isEmpty());
        assertTrue(listed(onLaptop, tabletId).isPresent(), "the tablet's session stays on the laptop");
        assertTrue(listed(onTablet, laptopId).isPresent(), "the laptop's session stays on the tablet");
        assertTrue(listed(onLaptop, laptopId).isPresent() && listed(onTablet, tabletId).isPresent(), "and their own");
    }
}
