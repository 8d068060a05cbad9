package org.agentchannels.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import org.agentchannels.core.Backoff;
import org.agentchannels.core.DeviceNames;
import org.agentchannels.gateway.agent.AcpAgent;
import org.agentchannels.gateway.agent.Agent;
import org.agentchannels.gateway.agent.EchoAgent;
import org.agentchannels.gateway.agent.ExecAgent;
import org.agentchannels.gateway.agent.HostedAgent;
import org.agentchannels.gateway.agent.OpenAiAgent;
import org.agentchannels.gateway.internal.AgentProcesses;
import org.agentchannels.gateway.internal.acp.AgentCommands;
import org.agentchannels.gateway.internal.presence.BrokerPresence;
import org.agentchannels.gateway.internal.presence.PresencePublisher;
import org.agentchannels.gateway.internal.trust.TlsIdentity;
import org.agentchannels.gateway.internal.rpc.GatewayServer;
import org.agentchannels.gateway.internal.trust.PairedDevices;
import org.agentchannels.gateway.internal.trust.PairingAttempts;
import org.agentchannels.gateway.internal.trust.PairingCodes;
import org.agentchannels.gateway.internal.rpc.HostCheck;
import org.agentchannels.gateway.internal.rpc.MachineNames;
import org.agentchannels.gateway.internal.rpc.RpcDispatcher;
import org.agentchannels.gateway.internal.session.SessionHost;
import org.agentchannels.gateway.internal.session.Workspaces;
import org.agentchannels.gateway.internal.store.StoreWriter;
import org.agentchannels.gateway.internal.store.TranscriptStore;
import org.agentchannels.gateway.launch.GatewayHome;
import org.agentchannels.gateway.launch.RunningGateway;

/**
 * A running gateway: the store opened (and whatever a killed predecessor left open, closed), the agents it
 * offers made (the first the default), the WebSocket server listening, presence records kept fresh. {@link #close()} is the clean stop:
 * running turns end as interrupted, presence records are deleted, {@code running.json} is removed.
 */
public final class Gateway implements AutoCloseable {

    /** While the gateway runs, {@code <home>/running.json} says where (for {@code gateway pair} and the workbench). */
    public static final String RUNNING_FILE = GatewayHome.RUNNING_FILE;
    /** Presence records are written again this often, well inside their 90 s lifetime. */
    public static final Duration PRESENCE_REFRESH = Duration.ofSeconds(30);

    private static final System.Logger LOG = System.getLogger(Gateway.class.getName());

    /** Logged at every start of a gateway that speaks plain {@code ws://} off loopback. */
    public static final String INSECURE_PLAINTEXT_WARNING = "--insecure-plaintext: listening on %s in plain ws://;"
            + " the token and every prompt and answer cross the network readable by anyone on the way. Leave the option"
            + " out to speak wss:// with this gateway's certificate";

    private final GatewayOptions options;
    private final GatewayHome home;
    private final StoreWriter store;
    private final SessionHost host;
    private final PresencePublisher presence;
    private final GatewayServer server;
    private final String token;
    private final String deviceName;
    private final String advertised;
    private final TlsIdentity identity;
    private final List<HostedAgent> agents;
    private final AgentProcesses agentProcesses;

    /** @param agents the agents to offer, or {@code null} for the ones the options name */
    private Gateway(GatewayOptions options, List<HostedAgent> agents, Supplier<String> hostName,
            Supplier<String> lanAddress, Clock clock, Duration presenceRefresh) throws Exception {
        this.options = options;
        this.home = new GatewayHome(options.home());
        String name = options.deviceName();
        if (name.isEmpty()) {
            try {
                name = DeviceNames.fromHostName(hostName.get());
            } catch (RuntimeException e) {
                name = ""; // a resolver failure never breaks the handshake: the ready frame says ""
            }
        }
        this.deviceName = name;
        this.token = home.token(options.token());
        this.identity = TlsIdentity.loadOrCreate(home.tlsIdentity(), deviceName); // before anything is opened
        int reaped = AgentProcesses.reapLeftovers(home.agentProcesses());
        if (reaped > 0) {
            LOG.log(System.Logger.Level.INFO, "stopped " + reaped + " agent process(es) the last gateway left running");
        }
        this.agentProcesses = new AgentProcesses(home.agentProcesses());
        this.agents = List.copyOf(agents != null ? agents : agentsFor(options, deviceName, agentProcesses));
        TranscriptStore transcripts = new TranscriptStore(home.database());
        int repaired = transcripts.closeInterruptedTurns(clock.millis() / 1000.0);
        if (repaired > 0) {
            LOG.log(System.Logger.Level.INFO, repaired + " session(s) had a turn cut off by the last stop; marked interrupted");
        }
        this.store = new StoreWriter(transcripts);
        this.host = new SessionHost(store, this.agents, deviceName, clock, new Workspaces(options.workspaces()));
        String advertisedHost = options.advertise().isEmpty() ? "" : java.net.URI.create(options.advertise()).getHost();
        String[] ownName = new String[1]; // asked once, when a wildcard bind first checks a Host header
        HostCheck hostCheck = new HostCheck(options.bind(), options.isLoopbackBind(), advertisedHost, () -> {
            synchronized (ownName) {
                if (ownName[0] == null) {
                    ownName[0] = safely(hostName);
                }
                return MachineNames.of(ownName[0]);
            }
        });
        // the advertised endpoint needs the bound port: the server starts before presence is wired in
        RpcDispatcher dispatcher = new RpcDispatcher(host);
        GatewayServer.Listening listening;
        if (options.tls()) {
            String password = UUID.randomUUID().toString(); // guards the key in this process's memory only
            listening = GatewayServer.Listening.tls(identity.keyStore(password.toCharArray()), password);
        } else if (options.plaintextOffLoopback()) {
            LOG.log(System.Logger.Level.WARNING, INSECURE_PLAINTEXT_WARNING.formatted(options.bind()));
            listening = GatewayServer.Listening.INSECURE_PLAINTEXT;
        } else {
            listening = GatewayServer.Listening.PLAIN;
        }
        GatewayServer.DeviceTrust trust = new GatewayServer.DeviceTrust(new PairedDevices(home.pairedDevices(), clock),
                new PairingCodes(home.pairingCodes(), clock), new PairingAttempts(clock));
        trust.devices().list(); // a devices file others could change stops the start here, saying so
        this.server = new GatewayServer(dispatcher, host.sessions(), token, options.bind(), hostCheck, options.port(),
                deviceName, UUID.randomUUID().toString(), clock, listening, trust);
        try {
            server.start();
            this.advertised = advertisedEndpoint(options, lanAddress, server.port());
        } catch (Exception e) {
            store.close();
            server.close();
            agentProcesses.close();
            throw e;
        }
        BrokerPresence broker = null;
        if (options.presenceBroker().isPresent()) {
            try {
                broker = new BrokerPresence(options.presenceBroker().get(), deviceName,
                        PresencePublisher.instanceId(deviceName), advertised, clock, Backoff.standard(),
                        presenceRefresh); // the team's records checked for expiry as often as its own are refreshed
            } catch (Exception e) {
                store.close();
                server.close();
                agentProcesses.close();
                throw new IllegalArgumentException("--presence-broker " + options.presenceBroker().get().url() + ": "
                        + e.getMessage(), e);
            }
        }
        this.presence = new PresencePublisher(options.presenceDir(), broker, advertised, identity.fingerprint(), deviceName,
                agentModel(), clock, presenceRefresh);
        dispatcher.servePresence(presence::readAll);
        host.addPresence(presence);
        home.announce(RunningGateway.thisProcess(port(), localEndpoint(), advertised, deviceName, identity.fingerprint()));
    }

    /** Starts a gateway with the agents its options name. */
    public static Gateway start(GatewayOptions options) throws Exception {
        return new Gateway(options, null, Gateway::hostName, Gateway::lanAddress, Clock.systemUTC(), PRESENCE_REFRESH);
    }

    /**
     * Starts a gateway offering {@code agents} (the first the default) instead of the ones its options name.
     *
     * @param hostName this machine's name, asked when no device name is configured
     */
    public static Gateway start(GatewayOptions options, List<HostedAgent> agents, Supplier<String> hostName, Clock clock)
            throws Exception {
        if (agents.isEmpty()) {
            throw new IllegalArgumentException("a gateway offers at least one agent");
        }
        return new Gateway(options, agents, hostName, Gateway::lanAddress, clock, PRESENCE_REFRESH);
    }

    /**
     * @param agent the agent to use, or {@code null} for the one the options name
     * @param hostName this machine's name, asked when no device name is configured
     */
    public static Gateway start(GatewayOptions options, Agent agent, Supplier<String> hostName, Clock clock)
            throws Exception {
        return start(options, agent, hostName, clock, PRESENCE_REFRESH);
    }

    /**
     * @param presenceRefresh how often presence records are written again, and those read from a team's broker
     *        checked for expiry (30 s; tests shorten it)
     */
    public static Gateway start(GatewayOptions options, Agent agent, Supplier<String> hostName, Clock clock,
            Duration presenceRefresh) throws Exception {
        return start(options, agent, hostName, Gateway::lanAddress, clock, presenceRefresh);
    }

    /**
     * @param lanAddress this machine's primary LAN address, asked only for a wildcard bind without
     *        {@code --advertise}; when it fails (no route off this machine) the gateway advertises no endpoint
     */
    public static Gateway start(GatewayOptions options, Agent agent, Supplier<String> hostName,
            Supplier<String> lanAddress, Clock clock, Duration presenceRefresh) throws Exception {
        // an agent given alone is offered under the options' default id
        return new Gateway(options, agent == null ? null : List.of(HostedAgent.of(options.agent(), agent)), hostName,
                lanAddress, clock, presenceRefresh);
    }

    /**
     * The agents the options name, each checked (a missing program is an error naming what to install, and,
     * among several, which agent it is for).
     */
    static List<HostedAgent> agentsFor(GatewayOptions options, String deviceName, AgentProcesses processes) {
        List<HostedAgent> out = new java.util.ArrayList<>();
        for (GatewayOptions.AgentSpec spec : options.agents()) {
            try {
                out.add(agentFor(spec, options, deviceName, processes));
            } catch (IllegalArgumentException e) {
                if (options.agents().size() == 1) {
                    throw e;
                }
                // among several, --acp-command is no longer how one agent's line is given
                throw new IllegalArgumentException("agent " + spec.id() + ": "
                        + e.getMessage().replace("--acp-command", "--agent " + spec.id() + "=LINE"), e);
            }
        }
        return out;
    }

    private static HostedAgent agentFor(GatewayOptions.AgentSpec spec, GatewayOptions options, String deviceName,
            AgentProcesses processes) {
        return switch (spec.type()) {
            case "exec" -> HostedAgent.of(spec.id(), new ExecAgent(options.agentSettings().get("exec-command"), processes));
            case "acp" -> {
                List<String> command = AgentCommands.resolve(spec.id(), spec.command(), System.getenv());
                AcpAgent agent = new AcpAgent(command, AgentCommands.environment(command, System.getenv()),
                        options.workspace(), AcpAgent.START_TIMEOUT, processes, options.acpFs());
                // a preset by its name; an agent the owner named, by that name; acp, by its program
                String label = AgentCommands.preset(spec.id()).map(AgentCommands.Preset::label)
                        .orElse(spec.id().equals("acp") ? agent.model() : spec.id());
                yield new HostedAgent(spec.id(), label, agent);
            }
            case "openai" -> HostedAgent.of(spec.id(), new OpenAiAgent(options.agentSettings().get("openai-base-url"),
                    options.agentSettings().get("openai-model"), System.getenv("OPENAI_API_KEY")));
            default -> HostedAgent.of(spec.id(), new EchoAgent(deviceName, 40));
        };
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "";
        }
    }

    private static String safely(Supplier<String> hostName) {
        try {
            String name = hostName.get();
            return name == null ? "" : name;
        } catch (RuntimeException e) {
            return "";
        }
    }

    /**
     * What presence records carry. Only a wildcard bind without {@code --advertise} asks for the LAN address,
     * and a machine without a route off it (a laptop offline) still starts: it advertises nothing.
     */
    private static String advertisedEndpoint(GatewayOptions options, Supplier<String> lanAddress, int port) {
        if (!options.advertise().isEmpty() || !HostCheck.isWildcard(options.bind())) {
            return options.advertisedEndpoint("", port);
        }
        String address;
        try {
            address = lanAddress.get();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "no LAN address to advertise (" + e.getMessage()
                    + "): presence records carry no endpoint until the gateway is restarted with a route, or with --advertise");
            address = "";
        }
        return options.advertisedEndpoint(address == null ? "" : address, port);
    }

    /**
     * This machine's primary LAN address, by asking the routing table (nothing is sent).
     *
     * @throws UncheckedIOException when there is no route off this machine ("Network is unreachable")
     */
    static String lanAddress() {
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(InetAddress.getByName("192.0.2.1"), 9);
            InetAddress address = probe.getLocalAddress();
            return address == null || address.isAnyLocalAddress() ? "" : address.getHostAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.port();
    }

    /**
     * The endpoint this machine dials: {@code ws://127.0.0.1:<port>/api/ws} for a loopback bind, {@code wss://} for
     * a wildcard one (which speaks TLS only, on loopback too).
     */
    public String localEndpoint() {
        String bind = options.bind();
        String hostPart = options.isLoopbackBind() || bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1"
                : bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
        return (server.tls() ? "wss://" : "ws://") + hostPart + ":" + port() + "/api/ws";
    }

    /** The fingerprint of this gateway's certificate's key, what clients pin (not a secret). */
    public String fingerprint() {
        return identity.fingerprint();
    }

    /** What presence records carry; empty for a loopback gateway. */
    public String advertisedEndpoint() {
        return advertised;
    }

    /** The token clients must present. Never logged. */
    public String token() {
        return token;
    }

    public String deviceName() {
        return deviceName;
    }

    /** The default agent's label. */
    public String agentModel() {
        return agents.get(0).label();
    }

    /** The agents offered, the default first. */
    public List<HostedAgent> agents() {
        return agents;
    }

    public Path presenceDir() {
        return presence.folder();
    }

    @Override
    public void close() {
        host.close();
        agentProcesses.close();
        presence.close();
        try {
            server.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "stopping the server failed: " + e);
        }
        store.close();
        home.withdraw();
    }
}
