package org.agentchannels.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code agentchannels live | sessions | attach | new | pair}: the client for people and scripts, one picocli command
 * class each. Output goes to {@code out}; every failure is one line on {@code err} and a non-zero exit status
 * (see {@link Exit}). Each option of {@link ClientOptions} can also come from an environment variable.
 */
public final class AgentChannelsCli {

    /** Exit statuses, so scripts can tell failures apart. */
    public static final class Exit {
        public static final int OK = 0;
        public static final int FAILED = 1;
        public static final int USAGE = 64;
        public static final int UNREACHABLE = 69;
        public static final int UNAUTHORIZED = 77;
        /**
         * The {@code wss://} gateway showed another certificate than the one pinned when it was paired, so nothing
         * was sent to it: the same status as a refused token (EX_NOPERM), since trust failed either way.
         */
        public static final int CERTIFICATE_CHANGED = 77;
        public static final int NO_SUCH_SESSION = 66;
        public static final int BUSY = 75;
        /** The gateway is not paired with this device, so it was not dialled (sysexits' EX_CONFIG). */
        public static final int NOT_PAIRED = 78;
        /** Records of more than one gateway claim the session, so it is attached at none (EX_DATAERR). */
        public static final int CONFLICTING = 65;

        private Exit() {
        }
    }

    /** The top of the command tree: only its subcommands do something. */
    @Command(name = "agentchannels", mixinStandardHelpOptions = true, version = "Agent Channels 0.1.0",
            description = "The command-line client of Agent Channels: sessions on this device's gateway and live on other devices.",
            subcommands = CommandLine.HelpCommand.class)
    static final class Top implements Runnable {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new ParameterException(spec.commandLine(), "no command given");
        }
    }

    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;
    private final Terminal terminal;

    /** A command line with no terminal: it asks nothing. */
    public AgentChannelsCli(PrintStream out, PrintStream err, Clock clock) {
        this(out, err, clock, Terminal.NONE);
    }

    /** @param terminal where a person answers approvals, when {@link Terminal#isInteractive} */
    public AgentChannelsCli(PrintStream out, PrintStream err, Clock clock, Terminal terminal) {
        this.out = out;
        this.err = err;
        this.clock = clock;
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        System.exit(new AgentChannelsCli(System.out, System.err, Clock.systemUTC(), Terminal.system())
                .run(args, System.getenv()));
    }

    /** Runs one command; never throws, never exits the JVM. */
    public int run(String[] args, Map<String, String> env) {
        CliContext context = new CliContext(out, err, clock, terminal);
        CommandLine cli = new CommandLine(new Top());
        for (Object command : List.of(new LiveCommand(context), new SessionsCommand(context), new AttachCommand(context),
                new NewCommand(context), new PairCommand(context))) {
            cli.addSubcommand(command);
        }
        // after the subcommands: the provider reaches only those present when it is set
        cli.setDefaultValueProvider(arg -> arg instanceof OptionSpec option ? ClientOptions.fromEnvironment(option, env) : null);
        PrintWriter errWriter = new PrintWriter(err, true, err.charset());
        cli.setOut(new PrintWriter(out, true, out.charset()));
        cli.setErr(errWriter);
        cli.setParameterExceptionHandler((e, rest) -> {
            errWriter.println("agentchannels: " + e.getMessage());
            e.getCommandLine().usage(errWriter);
            return Exit.USAGE;
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            errWriter.println("agentchannels: " + TerminalText.line(String.valueOf(e)));
            return Exit.FAILED;
        });
        return cli.execute(args);
    }
}
