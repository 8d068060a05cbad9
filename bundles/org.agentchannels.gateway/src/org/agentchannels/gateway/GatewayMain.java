package org.agentchannels.gateway;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import org.agentchannels.core.Pairing;
import org.agentchannels.gateway.internal.RotatingLog;
import org.agentchannels.gateway.internal.trust.PairedDevices;
import org.agentchannels.gateway.internal.trust.PairingCodes;
import org.agentchannels.gateway.internal.trust.TlsIdentity;
import org.agentchannels.gateway.launch.GatewayHome;
import org.agentchannels.gateway.launch.RunningGateway;

/**
 * {@code ./agentchannels gateway [options]} runs a gateway until it is stopped (SIGTERM or Ctrl+C, both
 * clean); {@code ./agentchannels gateway pair [options]} prints the pairing line of this device's gateway:
 * {@code <endpoint> <token> fp=<fingerprint>}, the format of a client's token file, to paste on the device that
 * will dial it; {@code gateway status} says whether it runs, where, and its certificate's fingerprint;
 * {@code gateway rotate-certificate} gives it a new key and certificate (every device then pairs again).
 */
public final class GatewayMain {

    static final String USAGE = """
            usage: agentchannels gateway [options]        run this device's gateway (stop with Ctrl+C)
                   agentchannels gateway pair [options]   print a one-time pairing line for another device:
                                                          agentchannels://<host>:<port>?fp=<fingerprint>&code=<code>
                                                          (single use, valid 10 minutes; with a QR code on a terminal)
                     --owner-token                        print '<endpoint> <token> fp=<fingerprint>' instead: the
                                                          gateway's own token, for scripts (it cannot be revoked)
                     --qr / --no-qr                       draw the QR code even when not on a terminal, or never
                   agentchannels gateway devices [options]   the devices paired by code: name, paired, last seen, from where
                   agentchannels gateway revoke DEVICE [options]   revoke a device's token (by name or id); its
                                                          connections are closed at once
                   agentchannels gateway status [options] whether it runs, where, and its certificate's fingerprint
                                                          (exit status 0 running, 3 not running)
                   agentchannels gateway rotate-certificate [options]   a new key and certificate, while it is stopped
                                                          (every paired device must pair again)
            options (also keys of <home>/gateway.properties, without the dashes):
              --home DIR            database, token and configuration (default ~/.agentchannels/gateway)
              --port N              default 8664; 0 picks a free port
              --bind ADDRESS        default 127.0.0.1; another address makes the gateway reachable from the network,
                                    where it speaks wss:// only, with its own certificate (clients pin its fingerprint)
              --insecure-plaintext  off loopback, speak plain ws:// instead: the token crosses the network in clear
              --advertise URL       the endpoint other devices dial (default: from a non-loopback bind)
              --device-name NAME    how other devices see this one (default: the host name)
              --presence-dir DIR    where presence records go (default <home>/session-presence/active)
              --presence-broker mqtt[s]://[USER@]HOST:PORT/TEAM   also announce and find sessions through the
                                    team's MQTT 5 broker (beside the presence folder); the password from
                                    --presence-broker-password-file FILE (owner-only) or AGENTCHANNELS_BROKER_PASSWORD
              --presence-broker-keepalive SECONDS   how soon the broker notices this gateway gone (default 30)
              --presence-broker-ca-file FILE   mqtts://: the PEM certificates of the authorities to trust for the
                                    broker (default: the Java runtime's)
              --presence-broker-fingerprint sha256:KEY   mqtts://: trust the broker whose certificate has this key
                                    (as 'gateway status' prints a gateway's); alone, instead of authorities and
                                    host name (a self-signed broker); with --presence-broker-ca-file, both must hold
              --token-file FILE     the clients' token, read from FILE (owner-only); or set AGENTCHANNELS_GATEWAY_TOKEN
                                    (default: generated once, kept in <home>/token)
              --token TOKEN         the same on the command line, where every user of this machine sees it (ps): avoid
              --log FILE            write the output to FILE instead, rotated at 4 MiB, two older files kept
              --agent AGENT         echo (default), exec, openai, acp, or an ACP agent by name:
                                    opencode, gemini, codex, claude, copilot, goose; repeat it to offer several
                                    (the first is the default; in the file: agents = opencode, gemini)
              --agent NAME=LINE     an ACP agent by a name of your choice and its launch line (in the file:
                                    agent.NAME.command = LINE); for a preset's name, replaces its usual line
              --acp-command LINE    acp: the agent's launch line, split into words as a shell would (no shell
                                    features); also overrides a named agent's usual line (one agent only)
              --acp-fs              offer ACP agents fs: they read and write text files through the gateway, each
                                    session's only inside its working directory (off by default: agents use
                                    their own tools; in the file: acp-fs = true)
              --workspace DIR[:DIR] where agent sessions may work; a new session names one, or works in the
                                    first (default <home>/workspace)
              --exec-command CMD    exec: the command run for each prompt (prompt on stdin)
              --openai-base-url URL --openai-model NAME   openai: the endpoint and model (key: OPENAI_API_KEY)
            """;

    static final String TOKEN_WARNING = "agentchannels gateway: warning: --token puts the token on the command line,"
            + " where every user of this machine can read it (ps); use --token-file FILE or "
            + GatewayOptions.TOKEN_VARIABLE + " instead";

    private GatewayMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int status = run(args, System.out, System.err, defaultHome());
        if (status >= 0) {
            System.exit(status);
        }
    }

    static Path defaultHome() {
        return GatewayHome.standard().dir();
    }

    /**
     * @return the exit status, or -1 when the gateway runs on (its shutdown hook ends the process)
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Path defaultHome) throws InterruptedException {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(USAGE);
            return 0;
        }
        String verb = !rest.isEmpty() && List.of("pair", "status", "rotate-certificate", "devices", "revoke")
                .contains(rest.get(0)) ? rest.remove(0) : "";
        boolean pair = verb.equals("pair");
        PairingCommands.Flags flags = PairingCommands.Flags.take(rest);
        String device = "";
        if (verb.equals("revoke")) {
            if (rest.isEmpty() || rest.get(0).startsWith("--")) {
                err.println("agentchannels gateway: revoke needs the device: its name or id, as 'gateway devices' lists it");
                return 64;
            }
            device = rest.remove(0);
        }
        if (!verb.equals("pair") && flags.any()) {
            err.println("agentchannels gateway: --owner-token, --qr and --no-qr go with 'gateway pair' only");
            return 64;
        }
        GatewayOptions options;
        try {
            options = GatewayOptions.parse(rest, defaultHome);
        } catch (GatewayOptions.OptionsException e) {
            err.println("agentchannels gateway: " + e.getMessage());
            err.print(USAGE);
            return 64;
        }
        if (options.tokenOnCommandLine()) {
            err.println(TOKEN_WARNING);
        }
        if (pair) {
            if (flags.ownerToken()) {
                return ownerPairingLine(options, out, err);
            }
            return PairingCommands.pair(options, flags, out, err);
        }
        if (verb.equals("devices")) {
            return PairingCommands.devices(options, out, err);
        }
        if (verb.equals("revoke")) {
            return PairingCommands.revoke(options, device, out, err);
        }
        if (verb.equals("status")) {
            return status(options, out, err);
        }
        if (verb.equals("rotate-certificate")) {
            return rotateCertificate(options, out, err);
        }
        if (options.log().isPresent()) {
            try {
                // everything this process prints from here on, Jetty's and the JDK's loggers included
                PrintStream log = new PrintStream(new RotatingLog(options.log().get(), RotatingLog.DEFAULT_LIMIT,
                        RotatingLog.DEFAULT_GENERATIONS), true, StandardCharsets.UTF_8);
                System.setOut(log);
                System.setErr(log);
                out = log;
                err = log;
            } catch (IOException e) {
                err.println("agentchannels gateway: cannot write the log " + options.log().get() + ": " + describe(e));
                return 73;
            }
            if (options.tokenOnCommandLine()) {
                err.println(TOKEN_WARNING);
            }
        }
        Gateway gateway;
        try {
            gateway = Gateway.start(options);
        } catch (Exception e) {
            err.println("agentchannels gateway: cannot start: " + describe(e));
            return 69;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "agentchannels-gateway-stop"));
        out.println("agentchannels gateway '" + gateway.deviceName() + "' listening on " + gateway.localEndpoint()
                + (gateway.advertisedEndpoint().isEmpty() ? " (loopback only; --bind or --advertise to reach it from other devices)"
                        : ", advertised as " + gateway.advertisedEndpoint())
                + "; " + (gateway.agents().size() == 1 ? "agent: " + gateway.agentModel() : "agents: " + offered(gateway))
                + "; presence: " + gateway.presenceDir()
                + options.presenceBroker().map(b -> " and the team broker " + b.url()).orElse("")
                + "; certificate " + gateway.fingerprint());
        String homeOption = options.home().equals(defaultHome) ? "" : " --home " + options.home();
        out.println(gateway.advertisedEndpoint().startsWith("wss://")
                ? "pair another device with: ./agentchannels gateway pair" + homeOption
                : "pair a client of this machine with: ./agentchannels gateway pair --owner-token" + homeOption);
        out.flush();
        stopped.await();
        return -1;
    }

    /** "opencode (OpenCode, the default), gemini (Gemini CLI)". */
    private static String offered(Gateway gateway) {
        List<String> out = new ArrayList<>();
        for (org.agentchannels.gateway.agent.HostedAgent a : gateway.agents()) {
            out.add(a.id() + " (" + a.label() + (out.isEmpty() ? ", the default)" : ")"));
        }
        return String.join(", ", out);
    }

    /**
     * Prints {@code <endpoint> <token> fp=<fingerprint>} with the gateway's own token (for scripts): of the running
     * gateway when there is one, else from the options (making the home's token and TLS identity when there are none
     * yet, as a first start would).
     */
    static int ownerPairingLine(GatewayOptions options, PrintStream out, PrintStream err) {
        GatewayHome home = new GatewayHome(options.home());
        Optional<RunningGateway> recorded = home.recorded();
        String endpoint = pairingEndpoint(options, recorded);
        String token;
        try {
            token = home.token(options.token());
        } catch (java.io.IOException e) {
            err.println("agentchannels gateway: cannot read or create the token in " + options.home() + ": " + describe(e));
            return 73;
        }
        Optional<String> fingerprint = fingerprint(options, recorded, err);
        if (fingerprint.isEmpty()) {
            return 73;
        }
        out.println(new Pairing(endpoint, token, false, fingerprint.get()).toLine());
        return 0;
    }

    /** Where other devices dial the gateway: the running one's advertised endpoint, else what the options say. */
    static String pairingEndpoint(GatewayOptions options, Optional<RunningGateway> recorded) {
        String endpoint = recorded.map(RunningGateway::pairingEndpoint).orElse("");
        if (endpoint.isEmpty()) {
            endpoint = options.advertisedEndpoint("", options.port());
            if (endpoint.isEmpty()) {
                endpoint = (options.tls() ? "wss" : "ws") + "://127.0.0.1:" + options.port() + "/api/ws";
            }
        }
        return endpoint;
    }

    /** The running gateway's fingerprint, else the home's identity's (made when there is none yet). */
    static Optional<String> fingerprint(GatewayOptions options, Optional<RunningGateway> recorded, PrintStream err) {
        String running = recorded.filter(RunningGateway::isAlive).map(RunningGateway::fingerprint).orElse("");
        if (!running.isEmpty()) {
            return Optional.of(running);
        }
        GatewayHome home = new GatewayHome(options.home());
        try {
            return Optional.of(TlsIdentity.loadOrCreate(home.tlsIdentity(), options.deviceName()).fingerprint());
        } catch (java.io.IOException e) {
            err.println("agentchannels gateway: cannot read or create the TLS identity " + home.tlsIdentity() + ": "
                    + describe(e));
            return Optional.empty();
        }
    }

    /** Says whether the gateway of this home runs, where, and its fingerprint: 0 running, 3 not running. */
    static int status(GatewayOptions options, PrintStream out, PrintStream err) {
        GatewayHome home = new GatewayHome(options.home());
        Optional<RunningGateway> running = home.running();
        Optional<String> fingerprint = fingerprint(options, running, err);
        if (fingerprint.isEmpty()) {
            return 73;
        }
        if (running.isPresent()) {
            RunningGateway r = running.get();
            out.println("running (pid " + r.pid() + ") on " + r.endpoint()
                    + (r.advertised().isEmpty() ? "" : ", advertised as " + r.advertised()));
        } else {
            out.println("not running (" + options.home() + ")");
        }
        out.println("certificate fingerprint: " + fingerprint.get());
        try {
            int devices = new PairedDevices(home.pairedDevices(), Clock.systemUTC()).list().size();
            int codes = new PairingCodes(home.pairingCodes(), Clock.systemUTC()).outstanding();
            out.println("paired devices: " + devices + " ('gateway devices' lists them); pairing codes waiting: " + codes);
        } catch (java.io.IOException e) {
            err.println("agentchannels gateway: cannot read the paired devices: " + describe(e));
        }
        return running.isPresent() ? 0 : 3;
    }

    /** Replaces the home's key and certificate; refused while its gateway runs (it would keep the old one). */
    static int rotateCertificate(GatewayOptions options, PrintStream out, PrintStream err) {
        GatewayHome home = new GatewayHome(options.home());
        Optional<RunningGateway> running = home.running();
        if (running.isPresent()) {
            err.println("agentchannels gateway: the gateway of " + options.home() + " runs (pid " + running.get().pid()
                    + "); stop it first, then rotate its certificate");
            return 75;
        }
        String before = "";
        try {
            before = TlsIdentity.load(home.tlsIdentity()).fingerprint();
        } catch (java.io.IOException e) {
            // none yet, or unusable: replaced all the same
        }
        try {
            String after = TlsIdentity.rotate(home.tlsIdentity(), options.deviceName()).fingerprint();
            out.println("certificate fingerprint: " + (before.isEmpty() ? "" : before + " -> ") + after);
            out.println("every device paired with this gateway refuses it now: pair each again with the line"
                    + " './agentchannels gateway pair' prints");
            return 0;
        } catch (java.io.IOException e) {
            err.println("agentchannels gateway: cannot write the TLS identity " + home.tlsIdentity() + ": " + describe(e));
            return 73;
        }
    }

    static String describe(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
