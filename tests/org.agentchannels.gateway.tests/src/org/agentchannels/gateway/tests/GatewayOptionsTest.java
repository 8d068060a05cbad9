package org.agentchannels.gateway.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.agentchannels.gateway.GatewayMain;
import org.agentchannels.gateway.GatewayOptions;
import org.agentchannels.gateway.GatewayOptions.OptionsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayOptionsTest {

    @TempDir
    Path home;

    private GatewayOptions parse(String... args) throws OptionsException {
        return GatewayOptions.parse(List.of(args), home);
    }

    @Test
    void defaultsAreALoopbackEchoGateway() throws OptionsException {
        GatewayOptions o = parse();
        assertEquals(8664, o.port());
        assertEquals("127.0.0.1", o.bind());
        assertEquals("echo", o.agent());
        assertEquals(home.resolve("session-presence/active"), o.presenceDir());
        assertTrue(o.isLoopbackBind());
        assertEquals("", o.advertisedEndpoint("192.0.2.5", 8664), "a loopback gateway advertises nothing");
    }

    @Test
    void readsBothOptionForms() throws OptionsException {
        GatewayOptions o = parse("--port", "9000", "--bind=192.0.2.7", "--device-name", "  build\n box ", "--agent", "EXEC",
                "--exec-command", "claude -p");
        assertEquals(9000, o.port());
        assertEquals("192.0.2.7", o.bind());
        assertEquals("build box", o.deviceName(), "device names are sanitised");
        assertEquals("exec", o.agent());
        assertEquals("claude -p", o.agentSettings().get("exec-command"));
    }

    @Test
    void advertisesTheBindAddressOrTheLanAddressOrTheGivenUrl() throws OptionsException {
        assertEquals("ws://192.0.2.7:9000/api/ws", parse("--bind", "192.0.2.7").advertisedEndpoint("", 9000));
        assertEquals("ws://192.0.2.5:8664/api/ws", parse("--bind", "0.0.0.0").advertisedEndpoint("192.0.2.5", 8664));
        assertEquals("ws://[2001:db8::5]:8664/api/ws", parse("--bind", "::").advertisedEndpoint("2001:db8::5", 8664));
        assertEquals("wss://desk.example/api/ws",
                parse("--advertise", "wss://desk.example/api/ws").advertisedEndpoint("192.0.2.5", 8664));
    }

    @Test
    void theConfigurationFileSetsOptionsAndTheCommandLineWins() throws OptionsException, IOException {
        Files.writeString(home.resolve(GatewayOptions.CONFIG_FILE), "port = 7000\ndevice-name = desk\nagent = openai\n"
                + "openai-base-url = http://127.0.0.1:8000/v1\nopenai-model = local-model\n");
        GatewayOptions fromFile = parse();
        assertEquals(7000, fromFile.port());
        assertEquals("desk", fromFile.deviceName());
        assertEquals("openai", fromFile.agent());
        assertEquals(7001, parse("--port", "7001").port());
    }

    @Test
    void homeMovesTheConfigurationAndPresence(@TempDir Path other) throws OptionsException, IOException {
        Files.writeString(other.resolve(GatewayOptions.CONFIG_FILE), "port=7100\n");
        GatewayOptions o = parse("--home", other.toString());
        assertEquals(7100, o.port());
        assertEquals(other.resolve("session-presence/active"), o.presenceDir());
    }

    @Test
    void rejectsBadValuesWithAClearMessage() {
        assertMessage("--port must be a number, not 'abc'", "--port", "abc");
        assertMessage("--port must be between 0 and 65535 (0 picks a free port)", "--port", "70000");
        assertMessage("unknown option --colour", "--colour", "red");
        assertMessage("--port needs a value", "--port");
        assertMessage("unexpected argument 'serve'", "serve");
        assertMessage("--agent must be one of echo, openai, exec, acp, opencode, gemini, codex, claude, copilot, goose; not 'gpt'",
                "--agent", "gpt");
        assertMessage("--agent exec needs --exec-command (the command to run for each prompt)", "--agent", "exec");
        assertMessage("--agent openai needs --openai-base-url and --openai-model (the API key comes from OPENAI_API_KEY)",
                "--agent", "openai", "--openai-model", "m");
        assertThrows(OptionsException.class, () -> parse("--advertise", "http://desk/api/ws"));
    }

    @Test
    void aBrokenConfigurationFileIsNamed() throws IOException {
        Files.writeString(home.resolve(GatewayOptions.CONFIG_FILE), "prot = 7000\n");
        OptionsException e = assertThrows(OptionsException.class, this::parse);
        assertTrue(e.getMessage().contains("unknown key 'prot'"), e.getMessage());
    }

    @Test
    void theTokenIsNeverPrintedOrEchoed() throws OptionsException {
        GatewayOptions o = parse("--token", "0123456789abcdef-secret");
        assertFalse(o.toString().contains("secret"), o.toString());
        OptionsException e = assertThrows(OptionsException.class, () -> parse("--token", "short secret"));
        assertFalse(e.getMessage().contains("short secret"), e.getMessage());
    }

    private Path tokenFile(String token) throws IOException {
        Path file = home.resolve("secret-token");
        Files.writeString(file, token + "\n");
        Files.setPosixFilePermissions(file, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        return file;
    }

    @Test
    void theTokenComesFromAFileOrTheEnvironmentAndOnlyTheCommandLineOneIsFlagged() throws Exception {
        Path file = tokenFile("0123456789abcdef-from-file");
        GatewayOptions fromFile = GatewayOptions.parse(List.of("--token-file", file.toString()), home, Map.of());
        assertEquals("0123456789abcdef-from-file", fromFile.token());
        assertFalse(fromFile.tokenOnCommandLine());
        GatewayOptions fromEnvironment = GatewayOptions.parse(List.of(), home,
                Map.of(GatewayOptions.TOKEN_VARIABLE, "0123456789abcdef-from-env"));
        assertEquals("0123456789abcdef-from-env", fromEnvironment.token());
        assertFalse(fromEnvironment.tokenOnCommandLine());
        GatewayOptions onCommandLine = GatewayOptions.parse(List.of("--token", "0123456789abcdef-on-the-line"), home,
                Map.of(GatewayOptions.TOKEN_VARIABLE, "0123456789abcdef-from-env"));
        assertEquals("0123456789abcdef-on-the-line", onCommandLine.token(), "the command line wins");
        assertTrue(onCommandLine.tokenOnCommandLine());
        Files.writeString(home.resolve(GatewayOptions.CONFIG_FILE), "token-file = " + file + "\n");
        assertEquals("0123456789abcdef-from-file", GatewayOptions.parse(List.of(), home, Map.of()).token());
        assertEquals("0123456789abcdef-from-env", GatewayOptions.parse(List.of(), home,
                Map.of(GatewayOptions.TOKEN_VARIABLE, "0123456789abcdef-from-env")).token(), "then the environment");
        assertEquals("", GatewayOptions.parse(List.of(), otherHome(), Map.of()).token(), "else the home's own token");
    }

    private Path otherHome() throws IOException {
        return Files.createDirectories(home.resolve("other-home"));
    }

    @Test
    void aTokenFileOthersCanReadOrALinkIsRefusedWithWhatToDo() throws Exception {
        Path file = tokenFile("0123456789abcdef-from-file");
        Files.setPosixFilePermissions(file, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ));
        OptionsException e = assertThrows(OptionsException.class,
                () -> GatewayOptions.parse(List.of("--token-file", file.toString()), home, Map.of()));
        assertEquals("--token-file: " + file + " can be read or changed by other users (rw-r--r--); make it yours alone:"
                + " chmod 600 " + file, e.getMessage());
        Path link = Files.createSymbolicLink(home.resolve("link-to-token"), tokenFile("0123456789abcdef-from-file"));
        e = assertThrows(OptionsException.class,
                () -> GatewayOptions.parse(List.of("--token-file", link.toString()), home, Map.of()));
        assertTrue(e.getMessage().contains("is not a file"), e.getMessage());
        assertThrows(OptionsException.class, () -> GatewayOptions.parse(List.of("--token-file", file.toString(),
                "--token", "0123456789abcdef-on-the-line"), home, Map.of()));
        assertFalse(e.getMessage().contains("from-file"));
    }

    @Test
    void aTokenOnTheCommandLineIsTakenWithAWarningThatOthersCanSeeIt() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int status = GatewayMain.run(new String[] { "pair", "--home", home.toString(), "--token", "0123456789abcdef-on-the-line" },
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8), new java.io.PrintStream(err, true, StandardCharsets.UTF_8),
                home);
        assertEquals(0, status);
        assertTrue(out.toString(StandardCharsets.UTF_8).strip().endsWith(" 0123456789abcdef-on-the-line"));
        String warning = err.toString(StandardCharsets.UTF_8);
        assertTrue(warning.contains("warning: --token puts the token on the command line"), warning);
        assertTrue(warning.contains("--token-file"), warning);
        assertFalse(warning.contains("0123456789abcdef"), "the warning does not repeat the token");
        err.reset();
        GatewayMain.run(new String[] { "pair", "--home", home.toString(), "--token-file",
                tokenFile("0123456789abcdef-from-file").toString() }, new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8), home);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    private void assertMessage(String expected, String... args) {
        assertEquals(expected, assertThrows(OptionsException.class, () -> parse(args)).getMessage());
    }
}
