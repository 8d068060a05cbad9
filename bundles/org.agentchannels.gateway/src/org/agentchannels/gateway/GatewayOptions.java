package org.agentchannels.gateway;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import org.agentchannels.core.DeviceNames;
import org.agentchannels.core.OwnerOnlyFiles;
import org.agentchannels.core.GatewayEndpoints;
import org.agentchannels.gateway.launch.GatewayHome;

/**
 * How a gateway is started: {@code --port}, {@code --bind}, {@code --device-name}, {@code --home},
 * {@code --presence-dir}, {@code --advertise}, {@code --token-file} (or {@code --token}, which other users see in
 * {@code ps}), {@code --agent}, {@code --log}. Each option except {@code --home} can also be set in
 * {@code <home>/gateway.properties} (keys without the dashes); the command line wins, then
 * {@code $AGENTCHANNELS_GATEWAY_TOKEN} for the token, then the file. {@code --acp-fs} (a switch, or
 * {@code --acp-fs=false}; in the file {@code acp-fs = true}) offers ACP agents {@code fs}, each session's files
 * within its working directory.
 *
 * <p>A gateway may offer several agents: {@code --agent} repeated (or {@code agents = opencode, gemini} in the
 * file), the first the default. {@code --agent NAME=LINE} offers an ACP agent by a name of the owner's choice
 * and its launch line (in the file: {@code agent.NAME.command = LINE}, with NAME in {@code agents}); for a
 * preset's name it replaces the usual line. {@code --acp-command} gives the line of the one ACP agent offered
 * without one of its own.
 *
 * @param token the clients' token when one was given (else the home's stored or generated one is used)
 * @param tokenOnCommandLine whether that token came from {@code --token} on the command line
 * @param log where the gateway writes its output, rotated by size; empty: standard output and error
 * @param insecurePlaintext {@code --insecure-plaintext}: plain {@code ws://} off loopback, where the gateway
 *        otherwise speaks {@code wss://} only (see {@link #tls()})
 * @param presenceBroker {@code --presence-broker mqtt://[user@]host:port/TEAM}: the team's MQTT broker the gateway
 *        also announces its sessions on and finds the team's on, beside the presence folder
 */
public record GatewayOptions(int port, String bind, String deviceName, Path home, Path presenceDir, String advertise,
        String token, boolean tokenOnCommandLine, List<AgentSpec> agents, Map<String, String> agentSettings,
        Optional<Path> log, boolean insecurePlaintext, Optional<PresenceBroker> presenceBroker) {

    public GatewayOptions {
        agents = List.copyOf(agents);
        if (agents.isEmpty()) {
            throw new IllegalArgumentException("a gateway offers at least one agent");
        }
        agentSettings = Map.copyOf(agentSettings);
    }

    /**
     * An agent the gateway offers.
     *
     * @param id what clients name it by ({@code session.create}'s {@code agent}); a preset's name, {@code echo},
     *        {@code exec}, {@code openai}, {@code acp}, or one the owner chose for an ACP agent
     * @param type {@code echo}, {@code exec}, {@code openai} or {@code acp} (every ACP agent, presets too)
     * @param command an ACP agent's launch line; empty for a preset's usual one (and for the other types)
     */
    public record AgentSpec(String id, String type, String command) {
    }

    /**
     * A team's MQTT 5 broker ({@code --presence-broker}). The password is read from
     * {@code --presence-broker-password-file} or {@value #BROKER_PASSWORD_VARIABLE}, never from the command line or
     * the URL, and no {@code toString} shows it.
     *
     * @param user empty for an anonymous connection
     * @param password empty for none
     * @param team the topic level under {@code agentchannels/} this gateway publishes in and reads
     * @param keepAliveSeconds how often the connection is checked: the broker announces a gateway gone silent
     *        after one and a half of these ({@code --presence-broker-keepalive}, default 30)
     * @param tls {@code mqtts://}: TLS to the broker, its certificate checked against {@code caFile} (else the Java
     *        runtime's trusted authorities) and its name against the URL's host; or, with {@code fingerprint} alone,
     *        against that pin only
     * @param caFile {@code --presence-broker-ca-file}: the PEM certificates of the authorities the team trusts for
     *        its broker
     * @param fingerprint {@code --presence-broker-fingerprint}: the broker's certificate's key, pinned as clients pin
     *        a gateway's ({@link org.agentchannels.core.Fingerprints}); alone it replaces the authorities and the
     *        name check (a team's self-signed broker), with {@code caFile} both must hold
     */
    public record PresenceBroker(String host, int port, String user, String password, String team, int keepAliveSeconds,
            boolean tls, Optional<Path> caFile, Optional<String> fingerprint) {

        /** The topic level a team is: what it may be named. */
        public static final java.util.regex.Pattern TEAM = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
        public static final int DEFAULT_KEEPALIVE_SECONDS = 30;

        /** Where the broker is, as given without a password: {@code mqtt[s]://user@host:port/team}. */
        public String url() {
            String hostPart = host.contains(":") ? "[" + host + "]" : host;
            return (tls ? "mqtts://" : "mqtt://") + (user.isEmpty() ? "" : user + "@") + hostPart + ":" + port + "/" + team;
        }

        /**
         * Reads {@code mqtt[s]://[user@]host:port/TEAM}.
         *
         * @param fingerprint {@code --presence-broker-fingerprint} as given, not checked yet
         * @throws OptionsException naming what is wrong: a password in the URL, no team, a CA file or a pin for plain
         *         MQTT, a pin not in the fingerprints' form
         */
        static PresenceBroker parse(String url, String password, int keepAliveSeconds, Optional<Path> caFile,
                Optional<String> fingerprint) throws OptionsException {
            URI uri;
            try {
                uri = new URI(url.strip());
            } catch (java.net.URISyntaxException e) {
                throw new OptionsException("--presence-broker: not a URL (" + e.getReason() + "); give mqtt://[user@]host:port/TEAM");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("mqtt") && !scheme.equals("mqtts")) {
                throw new OptionsException("--presence-broker: give mqtt://[user@]host:port/TEAM (or mqtts:// for TLS), not a "
                        + (scheme.isEmpty() ? "URL without a scheme" : scheme + ":// URL"));
            }
            boolean tls = scheme.equals("mqtts");
            if (!tls && caFile.isPresent()) {
                throw new OptionsException("--presence-broker-ca-file is for a broker reached by TLS (mqtts://), not " + url.strip());
            }
            if (!tls && fingerprint.isPresent()) {
                throw new OptionsException("--presence-broker-fingerprint is for a broker reached by TLS (mqtts://), not "
                        + url.strip());
            }
            Optional<String> pin;
            try {
                pin = fingerprint.map(org.agentchannels.core.Fingerprints::parse);
            } catch (IllegalArgumentException e) {
                throw new OptionsException("--presence-broker-fingerprint: " + e.getMessage()
                        + " (the SHA-256 of the broker certificate's key, as docs/team-presence.md shows how to get)");
            }
            if (caFile.isPresent() && !Files.isRegularFile(caFile.get())) {
                throw new OptionsException("--presence-broker-ca-file: " + caFile.get() + " is not a file");
            }
            String userInfo = uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo();
            if (userInfo.contains(":")) {
                throw new OptionsException("--presence-broker: the URL holds a password, which every user of this machine"
                        + " could read; give only the user (mqtt://user@host:port/TEAM) and the password in"
                        + " presence-broker-password-file or " + BROKER_PASSWORD_VARIABLE);
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                throw new OptionsException("--presence-broker: no host in the URL; give mqtt://[user@]host:port/TEAM");
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 8883 : 1883;
            String path = uri.getPath() == null ? "" : uri.getPath();
            String team = path.startsWith("/") ? path.substring(1) : path;
            if (!TEAM.matcher(team).matches() || uri.getQuery() != null || uri.getFragment() != null) {
                throw new OptionsException("--presence-broker: the URL ends in the team's name (/TEAM: letters, digits, '.',"
                        + " '-' or '_', at most 64), not '" + path + "'");
            }
            String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
            String user = java.net.URLDecoder.decode(userInfo, StandardCharsets.UTF_8);
            if (keepAliveSeconds < 1 || keepAliveSeconds > 3600) {
                throw new OptionsException("--presence-broker-keepalive is seconds between 1 and 3600, not " + keepAliveSeconds);
            }
            return new PresenceBroker(host, port, user, password, team, keepAliveSeconds, tls, caFile, pin);
        }

        @Override
        public String toString() {
            // the password is a secret: say only whether one is set
            return "PresenceBroker[" + url() + ", password=" + (password.isEmpty() ? "" : "***") + ", keepAlive="
                    + keepAliveSeconds + "s" + caFile.map(f -> ", caFile=" + f).orElse("")
                    + fingerprint.map(f -> ", fingerprint=" + f).orElse("") + "]";
        }
    }

    /**
     * What is wrong with {@code url} as a {@code --presence-broker} URL, as a gateway starting with it would say;
     * empty when it is right. For a form that sets the option before any gateway reads it.
     */
    public static Optional<String> presenceBrokerProblem(String url) {
        try {
            PresenceBroker.parse(url, "", PresenceBroker.DEFAULT_KEEPALIVE_SECONDS, Optional.empty(), Optional.empty());
            return Optional.empty();
        } catch (OptionsException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The team broker's password, for a gateway started by a script ({@code --presence-broker-password-file} wins). */
    public static final String BROKER_PASSWORD_VARIABLE = "AGENTCHANNELS_BROKER_PASSWORD";

    /** The default agent's id: the first offered. */
    public String agent() {
        return agents.get(0).id();
    }

    public static final int DEFAULT_PORT = 8664;
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final String CONFIG_FILE = GatewayHome.CONFIGURATION_FILE;
    public static final Set<String> AGENTS = Set.of("echo", "openai", "exec", "acp", "opencode", "gemini", "codex",
            "claude", "copilot", "goose");
    /** The clients' token, for a gateway started by a script: unlike {@code --token}, not shown by {@code ps}. */
    public static final String TOKEN_VARIABLE = "AGENTCHANNELS_GATEWAY_TOKEN";
    /** The gateway's secrets that may come in its environment: never passed on to an agent or a command it runs. */
    public static final List<String> SECRET_VARIABLES = List.of(TOKEN_VARIABLE, BROKER_PASSWORD_VARIABLE);

    /**
     * The settings of the agent back ends: the command of {@code exec}, the endpoint and model of {@code openai},
     * the launch line of an ACP agent, whether ACP agents are offered {@code fs} ({@code true} or {@code false}),
     * and the workspace its sessions work in.
     */
    public static final List<String> AGENT_KEYS = List.of("exec-command", "openai-base-url", "openai-model",
            "acp-command", "acp-fs", "workspace");
    /** The options that are switches: on when given alone, {@code --NAME=false} to turn one off. */
    private static final Set<String> SWITCHES = Set.of("acp-fs", "insecure-plaintext");

    private static final List<String> KEYS = List.of("port", "bind", "device-name", "presence-dir", "advertise", "token",
            "token-file", "agent", "agents", "exec-command", "openai-base-url", "openai-model", "acp-command", "acp-fs",
            "workspace", "log", "insecure-plaintext", "presence-broker", "presence-broker-password-file",
            "presence-broker-keepalive", "presence-broker-ca-file", "presence-broker-fingerprint");
    /** The switch that lets a gateway off loopback speak plain {@code ws://}. */
    public static final String INSECURE_PLAINTEXT = "insecure-plaintext";
    /** {@code agent.NAME.command = LINE} in the file: the launch line of the ACP agent NAME. */
    private static final java.util.regex.Pattern AGENT_COMMAND_KEY = java.util.regex.Pattern.compile("agent\\.(.+)\\.command");
    /** What an agent's name may be (also {@code HostedAgent.ID}). */
    private static final java.util.regex.Pattern AGENT_NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");
    private static final Set<String> NOT_ACP = Set.of("echo", "exec", "openai");

    /** A bad option, with a message that says which and why (never echoing a token). */
    public static final class OptionsException extends Exception {
        private static final long serialVersionUID = 1L;

        public OptionsException(String message) {
            super(message);
        }
    }

    /**
     * @param args the command line after {@code gateway}
     * @param defaultHome where the gateway lives when {@code --home} is not given
     */
    public static GatewayOptions parse(List<String> args, Path defaultHome) throws OptionsException {
        return parse(args, defaultHome, System.getenv());
    }

    /** @param environment where {@value #TOKEN_VARIABLE} is looked up */
    public static GatewayOptions parse(List<String> args, Path defaultHome, Map<String, String> environment)
            throws OptionsException {
        Map<String, String> given = new LinkedHashMap<>();
        List<String> agentArgs = new java.util.ArrayList<>();
        Path home = defaultHome;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new OptionsException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (SWITCHES.contains(name)) {
                value = "true";
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new OptionsException("--" + name + " needs a value");
            }
            if (name.equals("home")) {
                home = Path.of(value);
            } else if (name.equals("agent")) {
                agentArgs.add(value); // repeatable: each one more agent offered
            } else if (KEYS.contains(name) && !name.equals("agents")) {
                given.put(name, value);
            } else {
                throw new OptionsException("unknown option --" + name);
            }
        }
        if (given.containsKey("token") && given.containsKey("token-file")) {
            throw new OptionsException("give --token-file or --token, not both");
        }
        Map<String, String> merged = new LinkedHashMap<>(readConfig(new GatewayHome(home).configuration()));
        String fromEnvironment = environment.getOrDefault(TOKEN_VARIABLE, "").strip();
        if (!fromEnvironment.isEmpty() && !given.containsKey("token") && !given.containsKey("token-file")) {
            merged.remove("token-file");
            merged.put("token", fromEnvironment);
        }
        if (given.containsKey("token") || given.containsKey("token-file")) {
            merged.remove("token");
            merged.remove("token-file");
        }
        merged.putAll(given);
        if (merged.containsKey("token") && merged.containsKey("token-file")) {
            throw new OptionsException(new GatewayHome(home).configuration() + ": give token-file or token, not both");
        }
        if (merged.containsKey("token-file")) {
            merged.put("token", readSecretFile(Path.of(merged.get("token-file").strip()), "--token-file"));
        }
        // the broker's password: the command line's file, then the environment, then the configuration's file
        String brokerPassword = "";
        String brokerPasswordVariable = environment.getOrDefault(BROKER_PASSWORD_VARIABLE, "").strip();
        if (!given.containsKey("presence-broker-password-file") && !brokerPasswordVariable.isEmpty()) {
            brokerPassword = brokerPasswordVariable;
        } else if (merged.containsKey("presence-broker-password-file")) {
            brokerPassword = readSecretFile(Path.of(merged.get("presence-broker-password-file").strip()),
                    "--presence-broker-password-file");
        }
        Optional<PresenceBroker> broker = Optional.empty();
        if (!merged.getOrDefault("presence-broker", "").isBlank()) {
            int keepAlive = PresenceBroker.DEFAULT_KEEPALIVE_SECONDS;
            if (merged.containsKey("presence-broker-keepalive")) {
                try {
                    keepAlive = Integer.parseInt(merged.get("presence-broker-keepalive").strip());
                } catch (NumberFormatException e) {
                    throw new OptionsException("--presence-broker-keepalive is seconds, not '"
                            + merged.get("presence-broker-keepalive") + "'");
                }
            }
            String caFile = merged.getOrDefault("presence-broker-ca-file", "").strip();
            String fingerprint = merged.getOrDefault("presence-broker-fingerprint", "").strip();
            broker = Optional.of(PresenceBroker.parse(merged.get("presence-broker"), brokerPassword, keepAlive,
                    caFile.isEmpty() ? Optional.empty() : Optional.of(Path.of(caFile)),
                    fingerprint.isEmpty() ? Optional.empty() : Optional.of(fingerprint)));
        }
        return fromValues(merged, agentArgs, home, given.containsKey("token"), broker);
    }

    /**
     * A secret (the clients' token, the broker's password) in a file readable by its owner only (one others can
     * read is no secret).
     *
     * @param option the option that named the file, for the messages
     */
    private static String readSecretFile(Path file, String option) throws OptionsException {
        if (Files.isSymbolicLink(file) || !Files.isRegularFile(file)) {
            throw new OptionsException(option + ": " + file + " is not a file (a link is not followed)");
        }
        try {
            OwnerOnlyFiles.requireOwnerOnly(file, option + ":");
        } catch (IOException e) {
            throw new OptionsException(e.getMessage());
        }
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new OptionsException(option + ": " + file + " is empty");
            }
            return token;
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new OptionsException(option + ": cannot read " + file + ": " + e.getClass().getSimpleName());
        }
    }

    private static Map<String, String> readConfig(Path file) throws OptionsException {
        Map<String, String> values = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return values;
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new OptionsException("cannot read " + file + ": " + e.getMessage());
        }
        for (String key : properties.stringPropertyNames()) {
            if (!KEYS.contains(key) && !AGENT_COMMAND_KEY.matcher(key).matches()) {
                throw new OptionsException(file + ": unknown key '" + key + "' (known: " + String.join(", ", KEYS)
                        + ", agent.NAME.command)");
            }
            values.put(key, properties.getProperty(key).trim());
        }
        return values;
    }

    private static GatewayOptions fromValues(Map<String, String> v, List<String> agentArgs, Path home,
            boolean tokenOnCommandLine, Optional<PresenceBroker> presenceBroker) throws OptionsException {
        int port = DEFAULT_PORT;
        if (v.containsKey("port")) {
            try {
                port = Integer.parseInt(v.get("port").trim());
            } catch (NumberFormatException e) {
                throw new OptionsException("--port must be a number, not '" + v.get("port") + "'");
            }
            if (port < 0 || port > 65535) {
                throw new OptionsException("--port must be between 0 and 65535 (0 picks a free port)");
            }
        }
        String bind = v.getOrDefault("bind", DEFAULT_BIND).trim();
        if (bind.isEmpty()) {
            throw new OptionsException("--bind must name an address");
        }
        String advertise = v.getOrDefault("advertise", "").trim();
        if (!advertise.isEmpty()) {
            try {
                GatewayEndpoints.parse(advertise);
            } catch (IllegalArgumentException e) {
                throw new OptionsException("--advertise: " + e.getMessage());
            }
        }
        String token = v.getOrDefault("token", "");
        if (!token.isEmpty() && (token.length() < 16 || token.chars().anyMatch(Character::isWhitespace))) {
            throw new OptionsException("the token (--token, --token-file or " + TOKEN_VARIABLE
                    + ") must be at least 16 characters without spaces");
        }
        Optional<Path> log = v.containsKey("log") && !v.get("log").isBlank() ? Optional.of(Path.of(v.get("log").strip()))
                : Optional.empty();
        Path presenceDir = v.containsKey("presence-dir") ? Path.of(v.get("presence-dir"))
                : new GatewayHome(home).presenceDir();
        Map<String, String> agentSettings = new LinkedHashMap<>();
        for (String key : AGENT_KEYS) {
            if (v.containsKey(key) && !v.get(key).isBlank()) {
                agentSettings.put(key, v.get(key).strip());
            }
        }
        if (agentSettings.containsKey("acp-fs")) {
            String fs = agentSettings.get("acp-fs").toLowerCase(Locale.ROOT);
            if (!fs.equals("true") && !fs.equals("false")) {
                throw new OptionsException("--acp-fs is true or false (alone: true), not '" + agentSettings.get("acp-fs") + "'");
            }
            agentSettings.put("acp-fs", fs);
        }
        List<AgentSpec> agents = agents(v, agentArgs, agentSettings.getOrDefault("acp-command", ""));
        Set<String> types = new java.util.HashSet<>();
        agents.forEach(a -> types.add(a.type()));
        if (types.contains("exec") && !agentSettings.containsKey("exec-command")) {
            throw new OptionsException("--agent exec needs --exec-command (the command to run for each prompt)");
        }
        for (String root : agentSettings.getOrDefault("workspace", "").split(java.io.File.pathSeparator)) {
            if (!root.isBlank() && !Path.of(root.strip()).isAbsolute()) {
                throw new OptionsException("--workspace must be absolute paths (several joined with "
                        + java.io.File.pathSeparator + "), not '" + root.strip() + "'");
            }
        }
        if (types.contains("openai") && (!agentSettings.containsKey("openai-base-url") || !agentSettings.containsKey("openai-model"))) {
            throw new OptionsException("--agent openai needs --openai-base-url and --openai-model (the API key comes from OPENAI_API_KEY)");
        }
        String plaintext = v.getOrDefault(INSECURE_PLAINTEXT, "false").strip().toLowerCase(Locale.ROOT);
        if (!plaintext.equals("true") && !plaintext.equals("false")) {
            throw new OptionsException("--" + INSECURE_PLAINTEXT + " is true or false (alone: true), not '" + plaintext + "'");
        }
        GatewayOptions options = new GatewayOptions(port, bind, DeviceNames.sanitize(v.getOrDefault("device-name", "")),
                home, presenceDir, advertise, token, tokenOnCommandLine && !token.isEmpty(), agents, agentSettings, log,
                plaintext.equals("true"), presenceBroker);
        if (options.tls() && advertise.toLowerCase(Locale.ROOT).startsWith("ws://")) {
            throw new OptionsException("--advertise " + advertise + ": a gateway bound to " + bind + " speaks wss:// only;"
                    + " advertise a wss:// URL (or, knowing its token then crosses the network in clear, --"
                    + INSECURE_PLAINTEXT + ")");
        }
        return options;
    }

    /**
     * The agents offered: the command line's {@code --agent}s, else the file's {@code agents} (or {@code agent}),
     * else echo; each a name or {@code NAME=LINE}, with the file's {@code agent.NAME.command} lines.
     *
     * @param acpCommand {@code --acp-command}: the line of the one ACP agent that has none of its own
     */
    private static List<AgentSpec> agents(Map<String, String> v, List<String> agentArgs, String acpCommand)
            throws OptionsException {
        List<String> requested = new java.util.ArrayList<>(agentArgs);
        if (requested.isEmpty()) {
            if (v.containsKey("agents") && v.containsKey("agent")) {
                throw new OptionsException(GatewayOptions.CONFIG_FILE + ": give agents (a list) or agent, not both");
            }
            if (v.containsKey("agents")) {
                for (String item : v.get("agents").split(",")) {
                    if (!item.isBlank()) {
                        requested.add(item.strip());
                    }
                }
                if (requested.isEmpty()) {
                    throw new OptionsException(GatewayOptions.CONFIG_FILE + ": agents lists no agent");
                }
            } else {
                requested.add(v.getOrDefault("agent", "echo"));
            }
        }
        Map<String, String> lines = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : v.entrySet()) {
            java.util.regex.Matcher m = AGENT_COMMAND_KEY.matcher(e.getKey());
            if (m.matches()) {
                String name = agentName(m.group(1), e.getKey());
                if (NOT_ACP.contains(name) || e.getValue().isBlank()) {
                    throw new OptionsException(e.getKey() + ": " + (e.getValue().isBlank() ? "the launch line is empty"
                            : name + " is not an ACP agent; a launch line is for ACP agents"));
                }
                lines.put(name, e.getValue().strip());
            }
        }
        List<AgentSpec> agents = new java.util.ArrayList<>();
        Set<String> ids = new java.util.HashSet<>();
        for (String item : requested) {
            int eq = item.indexOf('=');
            String name = agentName(eq < 0 ? item : item.substring(0, eq), "--agent");
            String line = eq < 0 ? lines.getOrDefault(name, "") : item.substring(eq + 1).strip();
            if (eq >= 0 && line.isEmpty()) {
                throw new OptionsException("--agent " + name + "= needs the agent's launch line after '='");
            }
            String type;
            if (NOT_ACP.contains(name)) {
                if (eq >= 0) {
                    throw new OptionsException("--agent " + name + "=LINE: " + name
                            + " is not an ACP agent; a launch line is for ACP agents");
                }
                type = name;
            } else if (AGENTS.contains(name) || !line.isEmpty()) {
                type = "acp";
            } else {
                throw new OptionsException("--agent must be one of echo, openai, exec, acp, opencode, gemini, codex, claude,"
                        + " copilot, goose, or NAME=LINE for another ACP agent (its name and launch line); not '" + name + "'");
            }
            if (!ids.add(name)) {
                throw new OptionsException("--agent " + name + " is offered twice");
            }
            agents.add(new AgentSpec(name, type, line));
        }
        List<Integer> withoutLine = new java.util.ArrayList<>();
        for (int i = 0; i < agents.size(); i++) {
            if (agents.get(i).type().equals("acp") && agents.get(i).command().isEmpty()) {
                withoutLine.add(i);
            }
        }
        if (!acpCommand.isBlank() && withoutLine.size() > 1) {
            List<String> names = withoutLine.stream().map(i -> agents.get(i).id()).toList();
            throw new OptionsException("--acp-command gives one launch line, but " + String.join(", ", names)
                    + " have none of their own: give each its line as --agent NAME=LINE (agent.NAME.command in "
                    + GatewayOptions.CONFIG_FILE + ")");
        }
        if (!acpCommand.isBlank() && withoutLine.size() == 1) {
            AgentSpec a = agents.get(withoutLine.get(0));
            agents.set(withoutLine.get(0), new AgentSpec(a.id(), a.type(), acpCommand.strip()));
        }
        for (AgentSpec a : agents) {
            if (a.id().equals("acp") && a.command().isEmpty()) {
                throw new OptionsException("--agent acp needs --acp-command (the ACP agent's launch line, e.g. \"opencode acp\")");
            }
        }
        return agents;
    }

    private static String agentName(String raw, String where) throws OptionsException {
        String name = raw.strip().toLowerCase(Locale.ROOT);
        if (!AGENT_NAME.matcher(name).matches()) {
            throw new OptionsException(where + ": '" + raw.strip() + "' is no agent name (lower-case letters, digits,"
                    + " '.', '-' or '_', at most 32)");
        }
        return name;
    }

    /**
     * Whether ACP agents are offered {@code fs} ({@code --acp-fs}): reading and writing text files through the
     * gateway, each session's within its working directory. Off by default: agents use their own tools.
     */
    public boolean acpFs() {
        return "true".equals(agentSettings.get("acp-fs"));
    }

    /** The directory agent sessions work in when they name none: the first of {@link #workspaces()}. */
    public Path workspace() {
        return workspaces().get(0);
    }

    /**
     * The directories agent sessions may work in ({@code session.create}'s {@code cwd} is one of them or inside
     * one): {@code --workspace DIR[:DIR...]}, by default {@code workspace/} in the home.
     */
    public List<Path> workspaces() {
        List<Path> roots = new java.util.ArrayList<>();
        for (String root : agentSettings.getOrDefault("workspace", "").split(java.io.File.pathSeparator)) {
            if (!root.isBlank()) {
                roots.add(Path.of(root.strip()));
            }
        }
        return roots.isEmpty() ? List.of(home.resolve("workspace")) : List.copyOf(roots);
    }

    /** Whether the bind address is reachable only from this machine. */
    public boolean isLoopbackBind() {
        if (bind.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Whether the gateway speaks TLS ({@code wss://}) only: it does on every bind but loopback, unless
     * {@code --insecure-plaintext}. On loopback it speaks plain {@code ws://}: nothing crosses a network there.
     */
    public boolean tls() {
        return !isLoopbackBind() && !insecurePlaintext;
    }

    /** Whether the gateway speaks plain {@code ws://} where others on the network can read its traffic. */
    public boolean plaintextOffLoopback() {
        return !isLoopbackBind() && insecurePlaintext;
    }

    private boolean isWildcardBind() {
        return bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]");
    }

    /**
     * The endpoint written into presence records: {@code --advertise} when given; else, for a non-loopback
     * bind, {@code wss://<bind or this machine's LAN address>:<port>/api/ws} ({@code ws://} with
     * {@code --insecure-plaintext}); else empty, because a loopback
     * gateway cannot be dialled from another device.
     *
     * @param lanAddress this machine's primary LAN address, used for a wildcard bind; may be empty
     * @param boundPort the port actually bound (differs from {@link #port()} when that is 0)
     */
    public String advertisedEndpoint(String lanAddress, int boundPort) {
        if (!advertise.isEmpty()) {
            return advertise;
        }
        if (isLoopbackBind()) {
            return "";
        }
        String host = isWildcardBind() ? lanAddress : bind;
        if (host == null || host.isEmpty()) {
            return "";
        }
        String literal = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return URI.create((tls() ? "wss://" : "ws://") + literal + ":" + boundPort + GatewayEndpoints.WS_PATH).toString();
    }

    @Override
    public String toString() {
        // the token is a secret: say only whether one is set
        return "GatewayOptions[port=" + port + ", bind=" + bind + ", deviceName=" + deviceName + ", home=" + home
                + ", presenceDir=" + presenceDir + ", advertise=" + advertise + ", token=" + (token.isEmpty() ? "" : "***")
                + ", agents=" + agents + ", agentSettings=" + agentSettings + ", log=" + log.map(Path::toString).orElse("")
                + ", insecurePlaintext=" + insecurePlaintext + ", presenceBroker="
                + presenceBroker.map(PresenceBroker::toString).orElse("") + "]";
    }
}
