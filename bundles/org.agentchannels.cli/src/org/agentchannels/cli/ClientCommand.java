package org.agentchannels.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.agentchannels.cli.AgentChannelsCli.Exit;
import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.core.Backoff;
import org.agentchannels.core.Pairing;
import org.agentchannels.core.protocol.JsonRpcCodes;

import picocli.CommandLine.Mixin;

/**
 * A command that talks to gateways: reads the token file, opens a connector as this device, runs, and turns
 * what went wrong into one line and an exit status.
 */
abstract class ClientCommand implements Callable<Integer> {

    @Mixin
    ClientOptions options;

    final CliContext context;

    ClientCommand(CliContext context) {
        this.context = context;
    }

    /** The command's work, with the connector open; returns the exit status. */
    abstract int run(StandaloneGatewayConnector connector) throws GatewayException, TimeoutException, InterruptedException;

    @Override
    public final Integer call() {
        InMemoryTokenStore tokens;
        try {
            tokens = options.tokenFileToRead().isPresent() ? TokenFile.read(options.tokenFileToRead().get())
                    : new InMemoryTokenStore();
        } catch (TokenFile.TokenFileException e) {
            context.fail(e.getMessage());
            return Exit.USAGE;
        }
        try (StandaloneGatewayConnector connector = GatewayConnectors.standalone(tokens, options.deviceName().orElse(""),
                Backoff.standard())) {
            return run(connector);
        } catch (GatewayException e) {
            context.fail(e.getMessage() + hint(e));
            return exitFor(e);
        } catch (TimeoutException e) {
            context.fail("gave up waiting after " + options.timeoutSeconds() + " s");
            return Exit.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Exit.FAILED;
        }
    }

    /** A command line this command cannot run: one line and {@link Exit#USAGE}. */
    int usage(String message) {
        context.fail(message);
        return Exit.USAGE;
    }

    <T> T await(CompletableFuture<T> future) throws GatewayException, TimeoutException, InterruptedException {
        try {
            return future.get(options.timeoutSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw GatewayException.of(e.getCause());
        }
    }

    static int exitFor(GatewayException e) {
        return switch (e.kind()) {
            case UNREACHABLE, CONNECTION_LOST, CLOSED, TIMEOUT -> Exit.UNREACHABLE;
            case UNAUTHORIZED, FORBIDDEN -> Exit.UNAUTHORIZED;
            case CERTIFICATE_CHANGED -> Exit.CERTIFICATE_CHANGED;
            case PAIRING_CODE_REFUSED -> e.code() == 429 ? Exit.BUSY : Exit.UNAUTHORIZED;
            case NOT_PAIRED -> Exit.NOT_PAIRED;
            case BAD_ENDPOINT -> Exit.USAGE;
            case RPC_ERROR -> switch (e.code()) {
                case JsonRpcCodes.SESSION_NOT_FOUND, JsonRpcCodes.STORED_SESSION_NOT_FOUND -> Exit.NO_SUCH_SESSION;
                case JsonRpcCodes.SESSION_BUSY -> Exit.BUSY;
                default -> Exit.FAILED;
            };
        };
    }

    /** How to pair a gateway from the command line: the words every "not paired" message ends with. */
    static final String HOW_TO_PAIR = "to pair it, run './agentchannels gateway pair' on that device and here"
            + " './agentchannels pair' with the line it prints; for a gateway that asks for no token, add the line '" + Pairing.WITHOUT_TOKEN
            + " <endpoint>' only if you trust whoever answers there";

    /** How to mend a refused token from the command line. */
    static final String HOW_TO_PAIR_AGAIN = "to pair again, run './agentchannels gateway pair' on that device and here"
            + " './agentchannels pair' with the line it prints (it replaces this gateway's line in the token file)";

    private static String hint(GatewayException e) {
        return switch (e.kind()) {
            case NOT_PAIRED -> " (" + HOW_TO_PAIR + ")";
            case UNAUTHORIZED -> " (" + (e.code() >= 1000 ? String.valueOf(e.code()) : "HTTP " + e.code()) + ": "
                    + HOW_TO_PAIR_AGAIN + ")";
            case RPC_ERROR -> switch (e.code()) {
                case JsonRpcCodes.SESSION_NOT_FOUND, JsonRpcCodes.STORED_SESSION_NOT_FOUND ->
                    " (" + e.code() + ": no such session on that gateway)";
                case JsonRpcCodes.SESSION_BUSY -> " (4009: a turn is running; try again when it ends)";
                default -> " (" + e.code() + ")";
            };
            default -> "";
        };
    }
}
