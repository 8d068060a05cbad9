package org.agentchannels.gateway;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.agentchannels.core.Consoles;
import org.agentchannels.core.PairingInvitation;
import org.agentchannels.gateway.internal.TerminalQrCode;
import org.agentchannels.gateway.internal.trust.PairedDevices;
import org.agentchannels.gateway.internal.trust.PairingCodes;
import org.agentchannels.gateway.launch.GatewayHome;
import org.agentchannels.gateway.launch.RunningGateway;

/**
 * {@code gateway pair}, {@code gateway devices} and {@code gateway revoke}: they work on the gateway's home, so they
 * run whether or not the gateway does; a running gateway redeems the codes issued and closes a revoked device's
 * connections when its devices file changes.
 */
final class PairingCommands {

    private PairingCommands() {
    }

    /** {@code gateway pair}'s own switches, taken out of the arguments before the gateway's options are read. */
    record Flags(boolean ownerToken, boolean qr, boolean noQr) {
        static Flags take(List<String> args) {
            return new Flags(args.remove("--owner-token"), args.remove("--qr"), args.remove("--no-qr"));
        }

        boolean any() {
            return ownerToken || qr || noQr;
        }
    }

    /**
     * Issues a one-time code and prints the line {@code agentchannels://<host>:<port>?fp=<fingerprint>&code=<code>}
     * (stdout), its QR code on a terminal, and what to do with it (stderr).
     */
    static int pair(GatewayOptions options, Flags flags, PrintStream out, PrintStream err) {
        GatewayHome home = new GatewayHome(options.home());
        Optional<RunningGateway> recorded = home.recorded();
        String endpoint = GatewayMain.pairingEndpoint(options, recorded);
        URI uri = URI.create(endpoint);
        if (!"wss".equalsIgnoreCase(uri.getScheme())) {
            err.println("agentchannels gateway: " + (isLoopback(uri.getHost())
                    ? "this gateway listens on loopback only, where no other device reaches it; bind it to the network"
                            + " (--bind ADDRESS, where it speaks TLS) to pair devices with codes"
                    : "this gateway speaks plain ws:// off loopback (--insecure-plaintext), where a pairing code and the"
                            + " device token would cross the network in clear; pairing codes need TLS: drop"
                            + " --insecure-plaintext")
                    + ". Clients on this machine, and scripts, can take the owner's line: gateway pair --owner-token");
            return 78;
        }
        Optional<String> fingerprint = GatewayMain.fingerprint(options, recorded, err);
        if (fingerprint.isEmpty()) {
            return 73;
        }
        String code;
        try {
            code = new PairingCodes(home.pairingCodes(), Clock.systemUTC()).issue();
        } catch (IOException e) {
            err.println("agentchannels gateway: cannot write a pairing code in " + home.pairingCodes() + ": "
                    + GatewayMain.describe(e));
            return 73;
        }
        String line = PairingInvitation.of(endpoint, fingerprint.get(), code).toLine();
        out.println(line);
        if (flags.qr() || !flags.noQr() && Consoles.isTerminal()) {
            out.print(TerminalQrCode.render(line, out.charset()));
        }
        out.flush();
        err.println("single use, valid for " + PairingCodes.VALIDITY.toMinutes() + " minutes. On the other device: "
                + "./agentchannels pair '<line>', or Pair with a Device... in Agent Channels; check that it shows the"
                + " fingerprint " + fingerprint.get());
        if (home.running().isEmpty()) {
            err.println("the gateway of " + options.home() + " is not running: start it before the code expires");
        }
        return 0;
    }

    /** Lists the devices paired by code: name, when paired, when last seen, from where, id. */
    static int devices(GatewayOptions options, PrintStream out, PrintStream err) {
        GatewayHome home = new GatewayHome(options.home());
        List<PairedDevices.Device> devices;
        try {
            devices = new PairedDevices(home.pairedDevices(), Clock.systemUTC()).list();
        } catch (IOException e) {
            err.println("agentchannels gateway: cannot read the paired devices: " + GatewayMain.describe(e));
            return 73;
        }
        if (devices.isEmpty()) {
            out.println("no devices are paired by code; 'gateway pair' prints a line to pair one");
            return 0;
        }
        int width = Math.max(6, devices.stream().mapToInt(d -> d.name().length()).max().orElse(6));
        String format = "%-" + width + "s  %-20s  %-20s  %-24s  %s%n";
        out.printf(format, "DEVICE", "PAIRED", "LAST SEEN", "FROM", "ID");
        for (PairedDevices.Device d : devices) {
            out.printf(format, d.name(), minutes(d.pairedAt()), minutes(d.lastSeen()), d.lastAddress(), d.id());
        }
        return 0;
    }

    /** Revokes a device by name or id: 0 done, 66 no such device. */
    static int revoke(GatewayOptions options, String device, PrintStream out, PrintStream err) {
        GatewayHome home = new GatewayHome(options.home());
        Optional<PairedDevices.Device> revoked;
        try {
            revoked = new PairedDevices(home.pairedDevices(), Clock.systemUTC()).revoke(device);
        } catch (IOException e) {
            err.println("agentchannels gateway: cannot change the paired devices: " + GatewayMain.describe(e));
            return 73;
        }
        if (revoked.isEmpty()) {
            err.println("agentchannels gateway: no paired device is named or numbered '" + device
                    + "'; 'gateway devices' lists them");
            return 66;
        }
        out.println("revoked '" + revoked.get().name() + "' (" + revoked.get().id() + "): its token opens nothing now"
                + (home.running().isPresent() ? ", and the gateway closes its connections" : ""));
        return 0;
    }

    private static boolean isLoopback(String host) {
        String h = host == null ? "" : host;
        return h.equals("localhost") || h.equals("[::1]") || h.startsWith("127.");
    }

    /** {@code 2026-12-02 17:40Z}. */
    private static String minutes(Instant when) {
        return when.equals(Instant.EPOCH) ? "-" : when.toString().substring(0, 16).replace('T', ' ') + "Z";
    }
}
