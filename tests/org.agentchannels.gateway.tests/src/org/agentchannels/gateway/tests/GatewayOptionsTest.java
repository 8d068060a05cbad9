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
import org.agentchannels.gateway.GatewayOptions.AgentSpec;
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
        // off loopback a gateway speaks TLS only, and says so
        assertEquals("wss://192.0.2.7:9000/api/ws", parse("--bind", "192.0.2.7").advertisedEndpoint("", 9000));
        assertEquals("wss://192.0.2.5:8664/api/ws", parse("--bind", "0.0.0.0").advertisedEndpoint("192.0.2.5", 8664));
        assertEquals("wss://[2001:db8::5]:8664/api/ws", parse("--bind", "::").advertisedEndpoint("2001:db8::5", 8664));
        assertEquals("ws://192.0.2.7:9000/api/ws",
                parse("--bind", "192.0.2.7", "--insecure-plaintext").advertisedEndpoint("", 9000));
        assertEquals("wss://192.0.2.7:9000/api/ws",
                parse("--bind", "192.0.2.7", "--insecure-plaintext=false").advertisedEndpoint("", 9000));
        assertTrue(parse("--insecure-plaintext").tls() == false && parse("--bind", "0.0.0.0").tls());
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
        assertMessage("--agent must be one of echo, openai, exec, acp, opencode, gemini, codex, claude, copilot, goose,"
                + " or NAME=LINE for another ACP agent (its name and launch line); not 'gpt'", "--agent", "gpt");
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
        int status = GatewayMain.run(new String[] { "pair", "--owner-token", "--home", home.toString(), "--token", "0123456789abcdef-on-the-line" },
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8), new java.io.PrintStream(err, true, StandardCharsets.UTF_8),
                home);
        assertEquals(0, status);
        assertTrue(out.toString(StandardCharsets.UTF_8).strip().contains(" 0123456789abcdef-on-the-line fp=sha256:"));
        String warning = err.toString(StandardCharsets.UTF_8);
        assertTrue(warning.contains("warning: --token puts the token on the command line"), warning);
        assertTrue(warning.contains("--token-file"), warning);
        assertFalse(warning.contains("0123456789abcdef"), "the warning does not repeat the token");
        err.reset();
        GatewayMain.run(new String[] { "pair", "--owner-token", "--home", home.toString(), "--token-file",
                tokenFile("0123456789abcdef-from-file").toString() }, new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8), home);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    private static List<AgentSpec> agents(GatewayOptions o) {
        return o.agents();
    }

    @Test
    void severalAgentsAreOfferedByARepeatedAgentOptionTheFirstTheDefault() throws OptionsException {
        GatewayOptions o = parse("--agent", "opencode", "--agent", "Gemini", "--agent=hermes=hermes acp --profile 'a b'");
        assertEquals(List.of(new AgentSpec("opencode", "acp", ""), new AgentSpec("gemini", "acp", ""),
                new AgentSpec("hermes", "acp", "hermes acp --profile 'a b'")), agents(o));
        assertEquals("opencode", o.agent(), "the first is the default");
        assertEquals(List.of(new AgentSpec("echo", "echo", ""), new AgentSpec("exec", "exec", "")),
                agents(parse("--agent", "echo", "--agent", "exec", "--exec-command", "cat")));
        // a preset's name with a line: that line instead of its usual one
        assertEquals(List.of(new AgentSpec("opencode", "acp", "/opt/opencode/bin/opencode acp")),
                agents(parse("--agent", "opencode=/opt/opencode/bin/opencode acp")));
    }

    @Test
    void oneAgentWithAcpCommandWorksAsItAlwaysDid() throws OptionsException {
        assertEquals(List.of(new AgentSpec("acp", "acp", "hermes acp")), agents(parse("--agent", "acp", "--acp-command", "hermes acp")));
        assertEquals(List.of(new AgentSpec("gemini", "acp", "/opt/gemini --acp")),
                agents(parse("--agent", "gemini", "--acp-command", "/opt/gemini --acp")));
        // with several, it goes to the one ACP agent that has no line of its own
        assertEquals(List.of(new AgentSpec("echo", "echo", ""), new AgentSpec("acp", "acp", "hermes acp"),
                new AgentSpec("mine", "acp", "mine --acp")),
                agents(parse("--agent", "echo", "--agent", "acp", "--agent", "mine=mine --acp", "--acp-command", "hermes acp")));
        assertEquals(List.of(new AgentSpec("echo", "echo", "")), agents(parse()), "no --agent: echo");
    }

    @Test
    void theConfigurationFileListsAgentsAndNamesTheirLaunchLines() throws Exception {
        Files.writeString(home.resolve(GatewayOptions.CONFIG_FILE), "agents = opencode, hermes ,gemini\n"
                + "agent.hermes.command = hermes acp\nagent.gemini.command = /opt/gemini/bin/gemini --acp\n"
                + "agent.unused.command = not offered\n");
        assertEquals(List.of(new AgentSpec("opencode", "acp", ""), new AgentSpec("hermes", "acp", "hermes acp"),
                new AgentSpec("gemini", "acp", "/opt/gemini/bin/gemini --acp")), agents(parse()));
        // the command line's --agent replaces the list, and still finds the file's lines
        assertEquals(List.of(new AgentSpec("hermes", "acp", "hermes acp")), agents(parse("--agent", "hermes")));
        Files.writeString(home.resolve(GatewayOptions.CONFIG_FILE), "agent = gemini\n");
        assertEquals(List.of(new AgentSpec("gemini", "acp", "")), agents(parse()), "agent = one still works");
        Files.writeString(home.resolve(GatewayOptions.CONFIG_FILE), "agent = gemini\nagents = opencode\n");
        assertEquals("gateway.properties: give agents (a list) or agent, not both",
                assertThrows(OptionsException.class, this::parse).getMessage());
        Files.writeString(home.resolve(GatewayOptions.CONFIG_FILE), "agents = , \n");
        assertEquals("gateway.properties: agents lists no agent", assertThrows(OptionsException.class, this::parse).getMessage());
        Files.writeString(home.resolve(GatewayOptions.CONFIG_FILE), "agent.echo.command = echo hi\n");
        assertEquals("agent.echo.command: echo is not an ACP agent; a launch line is for ACP agents",
                assertThrows(OptionsException.class, this::parse).getMessage());
        Files.writeString(home.resolve(GatewayOptions.CONFIG_FILE), "agents = opencode\nagent.Hermes!.command = x\n");
        assertTrue(assertThrows(OptionsException.class, this::parse).getMessage().contains("'Hermes!' is no agent name"));
    }

    @Test
    void badAgentListsAreRefusedSayingWhy() {
        assertMessage("--agent opencode is offered twice", "--agent", "opencode", "--agent", "OpenCode");
        assertMessage("--agent echo=LINE: echo is not an ACP agent; a launch line is for ACP agents", "--agent", "echo=cat");
        assertMessage("--agent mine= needs the agent's launch line after '='", "--agent", "mine=  ");
        assertMessage("--agent: 'my agent' is no agent name (lower-case letters, digits, '.', '-' or '_', at most 32)",
                "--agent", "my agent=run it");
        assertMessage("--acp-command gives one launch line, but opencode, gemini have none of their own: give each its"
                + " line as --agent NAME=LINE (agent.NAME.command in gateway.properties)",
                "--agent", "opencode", "--agent", "gemini", "--acp-command", "x acp");
        assertMessage("--agent acp needs --acp-command (the ACP agent's launch line, e.g. \"opencode acp\")",
                "--agent", "opencode", "--agent", "acp");
        assertMessage("--agent exec needs --exec-command (the command to run for each prompt)", "--agent", "echo",
                "--agent", "exec");
        assertMessage("unknown option --agents", "--agents", "opencode,gemini");
    }

    private void assertMessage(String expected, String... args) {
        assertEquals(expected, assertThrows(OptionsException.class, () -> parse(args)).getMessage());
    }
}
