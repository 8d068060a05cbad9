package org.agentchannels.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.agentchannels.cli.AgentChannelsCli.Exit;
import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.connector.PairingRedemption;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.core.Backoff;
import org.agentchannels.core.Pairing;
import org.agentchannels.core.PairingInvitation;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code agentchannels pair '<line>'}: pairs this device with a gateway. The line {@code gateway pair} printed there
 * ({@code agentchannels://...?fp=...&code=...}) is redeemed over TLS, pinned to its fingerprint, for a device token of
 * this device's own; an {@code <endpoint> <token> [fp=...]} line is taken as it is. Either way the result goes into
 * the token file, in place of that gateway's earlier line.
 */
@Command(name = "pair", mixinStandardHelpOptions = true,
        description = "pair this device with a gateway: the line './agentchannels gateway pair' printed on its device")
final class PairCommand implements Callable<Integer> {

    @Mixin
    ClientOptions options;

    @Parameters(paramLabel = "LINE", description = "agentchannels://<host>:<port>?fp=...&code=... (or '<endpoint> <token>');"
            + " '-' reads it from standard input, so that it stays out of the process list and the shell's history")
    String line;

    @Option(names = "--replace", description = "pair again although this gateway is pinned to another certificate")
    boolean replace;

    private final CliContext context;

    PairCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Path file = options.tokenFile();
        if (line.equals("-")) {
            try {
                String read = new java.io.BufferedReader(context.terminal().input()).readLine();
                line = read == null ? "" : read.strip();
            } catch (java.io.IOException e) {
                line = "";
            }
            if (line.isEmpty()) {
                context.fail("no pairing line on standard input");
                return Exit.USAGE;
            }
        }
        if (!PairingInvitation.isInvitation(line)) {
            Pairing pairing;
            try {
                pairing = Pairing.parse(line);
            } catch (IllegalArgumentException e) {
                context.fail("not a pairing line: " + e.getMessage());
                return Exit.USAGE;
            }
            return store(file, pairing, "", "");
        }
        PairingInvitation invitation;
        try {
            invitation = PairingInvitation.parse(line);
        } catch (IllegalArgumentException e) {
            context.fail("not a pairing line: " + e.getMessage());
            return Exit.USAGE;
        }
        Integer repin = refusedRepin(file, invitation.endpoint(), invitation.fingerprint());
        if (repin != null) {
            return repin;
        }
        String deviceName;
        try (StandaloneGatewayConnector connector = GatewayConnectors.standalone(new InMemoryTokenStore(),
                options.deviceName().orElse(""), Backoff.standard())) {
            deviceName = connector.localDeviceName();
        }
        PairingRedemption.Redeemed redeemed;
        try {
            redeemed = PairingRedemption.redeem(invitation, deviceName).get(options.timeoutSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            GatewayException failure = GatewayException.of(e.getCause());
            context.fail(failure.getMessage());
            return ClientCommand.exitFor(failure);
        } catch (TimeoutException e) {
            context.fail("gave up waiting for " + invitation.host() + ":" + invitation.port() + " after "
                    + options.timeoutSeconds() + " s");
            return Exit.UNREACHABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Exit.FAILED;
        }
        return store(file, redeemed.pairing(), redeemed.deviceName(), redeemed.gatewayDevice());
    }

    /**
     * A line that would pin another certificate for a gateway already paired is refused without {@code --replace}, as
     * SSH refuses a changed host key: the exit status then, else {@code null}.
     */
    private Integer refusedRepin(Path file, String endpoint, String fingerprint) {
        java.util.Optional<String> pinned;
        try {
            pinned = java.nio.file.Files.exists(file) ? TokenFile.read(file).fingerprint(endpoint) : java.util.Optional.empty();
        } catch (TokenFile.TokenFileException e) {
            context.fail(e.getMessage());
            return Exit.USAGE;
        }
        if (pinned.isEmpty() || pinned.get().equals(fingerprint) || replace) {
            return null;
        }
        context.fail("this device pinned " + pinned.get() + " for the gateway at " + endpoint + ", and the line names "
                + (fingerprint.isEmpty() ? "none" : fingerprint) + ". If the gateway's certificate was rotated (check"
                + " 'gateway status' on its device), pair again with --replace; otherwise the line may not be that"
                + " gateway's. Nothing was sent, and the token file is unchanged");
        return Exit.CERTIFICATE_CHANGED;
    }

    private int store(Path file, Pairing pairing, String deviceName, String gatewayDevice) {
        Integer repin = refusedRepin(file, pairing.endpoint(), pairing.fingerprint());
        if (repin != null) {
            return repin;
        }
        try {
            TokenFile.store(file, pairing);
        } catch (TokenFile.TokenFileException e) {
            context.fail(e.getMessage());
            return Exit.FAILED;
        }
        if (options.json()) {
            JsonObject o = new JsonObject();
            o.addProperty("endpoint", pairing.endpoint());
            o.addProperty("fingerprint", pairing.fingerprint());
            o.addProperty("device", deviceName);
            o.addProperty("gateway_device", gatewayDevice);
            o.addProperty("token_file", file.toString());
            context.out().println(Formats.pretty(o));
            return Exit.OK;
        }
        context.out().println(TerminalText.line("paired with " + (gatewayDevice.isEmpty() ? "the gateway" : "'" + gatewayDevice + "'")
                + " at " + pairing.endpoint() + (deviceName.isEmpty() ? "" : " as '" + deviceName + "'")
                + (pairing.fingerprint().isEmpty() ? "" : ", certificate " + pairing.fingerprint()) + "; its line is in "
                + file));
        return Exit.OK;
    }
}
