package org.agentchannels.gateway.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.agentchannels.gateway.GatewayOptions;
import org.agentchannels.gateway.GatewayOptions.OptionsException;
import org.agentchannels.gateway.GatewayOptions.PresenceBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --presence-broker}: the team's broker, its user and password, and what is refused. */
class PresenceBrokerOptionsTest {

    @TempDir
    Path home;

    private GatewayOptions parse(Map<String, String> environment, String... args) throws OptionsException {
        return GatewayOptions.parse(List.of(args), home, environment);
    }

    private String refusal(String... args) {
        return assertThrows(OptionsException.class, () -> parse(Map.of(), args)).getMessage();
    }

    private Path secretFile(String name, String content) throws Exception {
        Path file = Files.writeString(home.resolve(name), content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        return file;
    }

    @Test
    void noBrokerUnlessOneIsGiven() throws Exception {
        assertTrue(parse(Map.of()).presenceBroker().isEmpty());
    }

    @Test
    void readsTheUrlWithUserPortAndTeam() throws Exception {
        PresenceBroker b = parse(Map.of(), "--presence-broker", "mqtt://desk-gw@broker.example:8883/platform-team")
                .presenceBroker().orElseThrow();
        assertEquals("broker.example", b.host());
        assertEquals(8883, b.port());
        assertEquals("desk-gw", b.user());
        assertEquals("platform-team", b.team());
        assertEquals("", b.password());
        assertEquals(PresenceBroker.DEFAULT_KEEPALIVE_SECONDS, b.keepAliveSeconds());
        PresenceBroker anonymous = parse(Map.of(), "--presence-broker", "mqtt://192.0.2.9/t1",
                "--presence-broker-keepalive", "2").presenceBroker().orElseThrow();
        assertEquals(1883, anonymous.port(), "MQTT's port when none is given");
        assertEquals("", anonymous.user());
        assertEquals(2, anonymous.keepAliveSeconds());
    }

    @Test
    void mqttsIsTlsOnItsOwnPortWithTheTeamsAuthorities() throws Exception {
        PresenceBroker b = parse(Map.of(), "--presence-broker", "mqtts://gw@broker.example/team",
                "--presence-broker-ca-file", "/etc/hostname").presenceBroker().orElseThrow();
        assertTrue(b.tls());
        assertEquals(8883, b.port(), "MQTT over TLS's port when none is given");
        assertEquals(Path.of("/etc/hostname"), b.caFile().orElseThrow());
        assertEquals("mqtts://gw@broker.example:8883/team", b.url());
        PresenceBroker plain = parse(Map.of(), "--presence-broker", "mqtt://broker.example/team").presenceBroker().orElseThrow();
        assertFalse(plain.tls());
        assertTrue(plain.caFile().isEmpty());
    }

    /** A fingerprint in the form clients pin gateways by, of a key made here. */
    private static String someFingerprint() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return org.agentchannels.core.Fingerprints.of(generator.generateKeyPair().getPublic().getEncoded());
    }

    @Test
    void mqttsTakesAPinnedFingerprintAloneOrBesideACaFileFromTheLineOrTheConfiguration() throws Exception {
        String pin = someFingerprint();
        PresenceBroker alone = parse(Map.of(), "--presence-broker", "mqtts://broker.example/team",
                "--presence-broker-fingerprint", " " + pin + " ").presenceBroker().orElseThrow();
        assertEquals(pin, alone.fingerprint().orElseThrow());
        assertTrue(alone.caFile().isEmpty());
        assertTrue(alone.toString().contains("fingerprint=" + pin), "not a secret: said, as gateway status says its own");
        PresenceBroker both = parse(Map.of(), "--presence-broker", "mqtts://broker.example/team",
                "--presence-broker-fingerprint", pin, "--presence-broker-ca-file", "/etc/hostname").presenceBroker().orElseThrow();
        assertEquals(pin, both.fingerprint().orElseThrow());
        assertEquals(Path.of("/etc/hostname"), both.caFile().orElseThrow());
        assertTrue(parse(Map.of(), "--presence-broker", "mqtts://broker.example/team").presenceBroker().orElseThrow()
                .fingerprint().isEmpty());

        Files.writeString(home.resolve(GatewayOptions.CONFIG_FILE), "presence-broker = mqtts://gw@127.0.0.1:8883/team\n"
                + "presence-broker-fingerprint = " + pin + "\n");
        assertEquals(pin, parse(Map.of()).presenceBroker().orElseThrow().fingerprint().orElseThrow());
        String other = someFingerprint();
        assertEquals(other, parse(Map.of(), "--presence-broker-fingerprint", other).presenceBroker().orElseThrow()
                .fingerprint().orElseThrow(), "the command line over the file");
    }

    @Test
    void refusesAPinForPlainMqttAndOneNotInTheFingerprintsForm() throws Exception {
        String pin = someFingerprint();
        String plain = refusal("--presence-broker", "mqtt://127.0.0.1/team", "--presence-broker-fingerprint", pin);
        assertEquals("--presence-broker-fingerprint is for a broker reached by TLS (mqtts://), not mqtt://127.0.0.1/team",
                plain);
        String hex = refusal("--presence-broker", "mqtts://127.0.0.1/team", "--presence-broker-fingerprint",
                "SHA256:AB:CD:EF:01");
        assertTrue(hex.startsWith("--presence-broker-fingerprint: the fingerprint is not sha256: and 43 base64url"), hex);
        assertFalse(hex.contains("AB:CD"), "a value in the wrong place is not echoed: " + hex);
        assertTrue(refusal("--presence-broker", "mqtts://127.0.0.1/team", "--presence-broker-fingerprint",
                pin.substring(0, pin.length() - 1)).startsWith("--presence-broker-fingerprint:"));
        Files.writeString(home.resolve(GatewayOptions.CONFIG_FILE), "presence-broker = mqtt://127.0.0.1/team\n"
                + "presence-broker-fingerprint = " + pin + "\n");
        assertTrue(refusal().startsWith("--presence-broker-fingerprint is for a broker reached by TLS"),
                "from the configuration as well");
    }

    @Test
    void theConfigurationFileNamesTheBrokerAndThePasswordFile() throws Exception {
        Path password = secretFile("broker-password", "s3cret-from-file\n");
        Files.writeString(home.resolve(GatewayOptions.CONFIG_FILE), "presence-broker = mqtt://gw@127.0.0.1:1883/team\n"
                + "presence-broker-password-file = " + password + "\n");
        PresenceBroker b = parse(Map.of()).presenceBroker().orElseThrow();
        assertEquals("s3cret-from-file", b.password());
        assertEquals("s3cret-from-env", parse(Map.of(GatewayOptions.BROKER_PASSWORD_VARIABLE, "s3cret-from-env"))
                .presenceBroker().orElseThrow().password(), "the environment over the configuration's file");
        Path other = secretFile("other-password", "s3cret-from-the-line");
        assertEquals("s3cret-from-the-line", parse(Map.of(GatewayOptions.BROKER_PASSWORD_VARIABLE, "s3cret-from-env"),
                "--presence-broker-password-file", other.toString()).presenceBroker().orElseThrow().password(),
                "the command line's file over both");
    }

    @Test
    void thePasswordNeverShowsInToString() throws Exception {
        GatewayOptions o = parse(Map.of(GatewayOptions.BROKER_PASSWORD_VARIABLE, "s3cret-from-env"), "--presence-broker",
                "mqtt://gw@127.0.0.1:1883/team");
        assertFalse(o.toString().contains("s3cret"), o.toString());
        assertFalse(o.presenceBroker().orElseThrow().toString().contains("s3cret"));
        assertTrue(o.toString().contains("mqtt://gw@127.0.0.1:1883/team"), o.toString());
    }

    @Test
    void refusesAPasswordInTheUrlACaFileWithoutTlsAndUrlsWithoutATeam() throws Exception {
        String inUrl = refusal("--presence-broker", "mqtt://gw:hunter2secret@127.0.0.1:1883/team");
        assertTrue(inUrl.contains("password") && !inUrl.contains("hunter2secret"), inUrl);
        assertTrue(refusal("--presence-broker", "mqtt://127.0.0.1/team", "--presence-broker-ca-file", "/etc/hostname")
                .contains("is for a broker reached by TLS (mqtts://)"));
        assertTrue(refusal("--presence-broker", "mqtts://127.0.0.1/team", "--presence-broker-ca-file",
                home.resolve("absent.pem").toString()).contains("is not a file"));
        assertTrue(refusal("--presence-broker", "tcp://127.0.0.1:1883/team").contains("give mqtt://[user@]host:port/TEAM"));
        assertTrue(refusal("--presence-broker", "mqtt://127.0.0.1:1883").contains("the team's name"));
        assertTrue(refusal("--presence-broker", "mqtt://127.0.0.1:1883/a/b").contains("the team's name"));
        assertTrue(refusal("--presence-broker", "mqtt://127.0.0.1:1883/%23").contains("the team's name"), "no wildcard");
        assertTrue(refusal("--presence-broker", "mqtt://127.0.0.1/t", "--presence-broker-keepalive", "0")
                .contains("between 1 and 3600"));
        Path open = Files.writeString(home.resolve("open-password"), "readable-by-all");
        Files.setPosixFilePermissions(open, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OTHERS_READ));
        assertTrue(refusal("--presence-broker", "mqtt://127.0.0.1/t", "--presence-broker-password-file", open.toString())
                .startsWith("--presence-broker-password-file"));
    }
}
