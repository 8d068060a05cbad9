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

    @Parameters(paramLabel = "LINE", description = "agentchannels://<host>:<port>?fp=...&code=... (or '<endpoint> <token>')")
    String line;

    private final CliContext context;

    PairCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Path file = options.tokenFile();
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

    private int store(Path file, Pairing pairing, String deviceName, String gatewayDevice) {
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
