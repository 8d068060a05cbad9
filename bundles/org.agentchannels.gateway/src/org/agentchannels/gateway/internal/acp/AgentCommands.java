package org.agentchannels.gateway.internal.acp;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The launch lines of the ACP agents people run, and the check that the program is there, so that a gateway
 * configured for an agent this machine lacks says at start what to install instead of failing every prompt.
 */
public final class AgentCommands {

    /** A known agent: how it is started as an ACP agent, how it is installed, and what a person calls it. */
    public record Preset(String name, List<String> command, String install, String label) {
    }

    public static final List<Preset> PRESETS = List.of(
            new Preset("opencode", List.of("opencode", "acp"), "npm install -g opencode-ai", "OpenCode"),
            new Preset("gemini", List.of("gemini", "--acp"), "npm install -g @google/gemini-cli", "Gemini CLI"),
            new Preset("codex", List.of("codex-acp"), "npm install -g @zed-industries/codex-acp", "Codex"),
            new Preset("claude", List.of("claude-agent-acp"), "npm install -g @agentclientprotocol/claude-agent-acp", "Claude"),
            new Preset("copilot", List.of("copilot", "--acp"), "npm install -g @github/copilot", "GitHub Copilot CLI"),
            new Preset("goose", List.of("goose", "acp"), "install the Goose command-line tool", "Goose"));

    private static final SecureRandom RANDOM = new SecureRandom();

    private AgentCommands() {
    }

    public static Optional<Preset> preset(String name) {
        return PRESETS.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * The command for {@code agent} ({@code acp} or a preset's name): {@code acpCommand} split into words when
     * given, else the preset's launch line; its program looked up on {@code PATH} of {@code environment}.
     *
     * @throws IllegalArgumentException when there is no command, it does not parse, or its program is missing
     */
    public static List<String> resolve(String agent, String acpCommand, Map<String, String> environment) {
        Optional<Preset> preset = preset(agent);
        List<String> command;
        if (acpCommand != null && !acpCommand.isBlank()) {
            command = CommandWords.split(acpCommand);
        } else if (preset.isPresent()) {
            command = preset.get().command();
        } else {
            throw new IllegalArgumentException("--agent acp needs --acp-command (the ACP agent's launch line)");
        }
        String program = command.get(0);
        if (program.contains("/") && !Path.of(program).isAbsolute()) {
            // checked here, run in a session's directory: made absolute, so both mean the same file
            program = Path.of(program).toAbsolutePath().normalize().toString();
            List<String> absolute = new java.util.ArrayList<>(command);
            absolute.set(0, program);
            command = List.copyOf(absolute);
        }
        if (find(program, environment.getOrDefault("PATH", "")).isEmpty()) {
            String install = preset.map(p -> ": install it (" + p.install() + ")").orElse("");
            throw new IllegalArgumentException("the agent program '" + program + "' was not found on this machine"
                    + (program.contains("/") ? "" : "'s PATH") + install + ", or give its full path with --acp-command");
        }
        return command;
    }

    /** The executable {@code program} names: itself when it has a slash, else the first match on {@code path}. */
    static Optional<Path> find(String program, String path) {
        if (program.contains("/")) {
            Path p = Path.of(program);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * What the gateway sets for an agent over its own environment. OpenCode's {@code acp} also serves its HTTP
     * API on a loopback port, open to every local process unless a password is set: it gets a random one,
     * unless the user set their own.
     */
    public static Map<String, String> environment(List<String> command, Map<String, String> gatewayEnvironment) {
        String program = Path.of(command.get(0)).getFileName().toString();
        if (program.equals("opencode") && !gatewayEnvironment.containsKey("OPENCODE_SERVER_PASSWORD")) {
            byte[] secret = new byte[24];
            RANDOM.nextBytes(secret);
            return Map.of("OPENCODE_SERVER_PASSWORD", HexFormat.of().formatHex(secret));
        }
        return Map.of();
    }

    /** Why the program did not start, without the rest of the exception's text. */
    public static String describeStartFailure(List<String> command, IOException e) {
        String message = String.valueOf(e.getMessage());
        String reason = message.contains("error=2,") ? "not found" : message.contains("error=13,") ? "permission denied"
                : e.getClass().getSimpleName();
        return "'" + command.get(0) + "': " + reason;
    }
}
