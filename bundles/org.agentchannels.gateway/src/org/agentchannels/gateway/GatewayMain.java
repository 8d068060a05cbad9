package org.agentchannels.gateway;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.agentchannels.gateway.internal.RotatingLog;
import org.agentchannels.gateway.launch.GatewayHome;
import org.agentchannels.gateway.launch.RunningGateway;

/**
 * {@code ./agentchannels gateway [options]} runs a gateway until it is stopped (SIGTERM or Ctrl+C, both
 * clean); {@code ./agentchannels gateway pair [options]} prints the pairing line of this device's gateway:
 * {@code <endpoint> <token>}, the format of a client's token file, to paste on the device that will dial it.
 */
public final class GatewayMain {

    static final String USAGE = """
            usage: agentchannels gateway [options]        run this device's gateway (stop with Ctrl+C)
                   agentchannels gateway pair [options]   print '<endpoint> <token>' for pairing a client
            options (also keys of <home>/gateway.properties, without the dashes):
              --home DIR            database, token and configuration (default ~/.agentchannels/gateway)
              --port N              default 8664; 0 picks a free port
              --bind ADDRESS        default 127.0.0.1; another address makes the gateway reachable from the network
              --advertise URL       the endpoint other devices dial (default: from a non-loopback bind)
              --device-name NAME    how other devices see this one (default: the host name)
              --presence-dir DIR    where presence records go (default <home>/session-presence/active)
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
        boolean pair = !rest.isEmpty() && rest.get(0).equals("pair");
        if (pair) {
            rest.remove(0);
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
            return pair(options, out, err);
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
                + "; presence: " + gateway.presenceDir());
        out.println("pair a client with: ./agentchannels gateway pair" + (options.home().equals(defaultHome) ? ""
                : " --home " + options.home()));
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

    /** Prints {@code <endpoint> <token>}: of the running gateway when there is one, else from the options. */
    static int pair(GatewayOptions options, PrintStream out, PrintStream err) {
        GatewayHome home = new GatewayHome(options.home());
        String endpoint = home.recorded().map(RunningGateway::pairingEndpoint).orElse("");
        if (endpoint.isEmpty()) {
            endpoint = options.advertisedEndpoint("", options.port());
            if (endpoint.isEmpty()) {
                endpoint = "ws://127.0.0.1:" + options.port() + "/api/ws";
            }
        }
        try {
            out.println(endpoint + " " + home.token(options.token()));
            return 0;
        } catch (java.io.IOException e) {
            err.println("agentchannels gateway: cannot read or create the token in " + options.home() + ": " + describe(e));
            return 73;
        }
    }

    private static String describe(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
