package org.agentchannels.ui.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.agentchannels.connector.GatewayConnector;
import org.agentchannels.connector.TokenStore;
import org.agentchannels.core.OwnerOnlyFiles;
import org.agentchannels.core.Pairing;
import org.agentchannels.presence.PresenceTracker;
import org.agentchannels.ui.AgentChannelsUi;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;

/**
 * Applies the Agent Channels preferences to the services: the pairing file into the token store, the
 * presence folder to the tracker, this device's name to the connector, and this device's gateway (started
 * here, with its team broker and that broker's password from Secure Storage, or one already running dialled at
 * its endpoint). Runs off the UI thread; one application at a time,
 * so two changes in a row never start two gateways.
 */
final class PreferencesApplier {

    private final GatewayConnector connector;
    private final PresenceTracker presence;
    private final TokenStore tokens;

    PreferencesApplier(GatewayConnector connector, PresenceTracker presence, TokenStore tokens) {
        this.connector = connector;
        this.presence = presence;
        this.tokens = tokens;
    }

    /** @param monitor cancelled when the start-up component stops: the gateway is then neither started nor dialled */
    synchronized void apply(IProgressMonitor monitor) {
        importPairings(UiPreferences.pairingFile());
        String dir = UiPreferences.presenceDirectory();
        presence.setPresenceDirectory(dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir.strip())));
        connector.setConfiguredDeviceName(UiPreferences.deviceName());
        if (monitor.isCanceled()) {
            return;
        }
        String endpoint = UiPreferences.startGateway() ? startedGatewayEndpoint() : UiPreferences.localGateway();
        if (!endpoint.isBlank()) {
            connector.connectLocal(endpoint).exceptionally(error -> {
                warn("this device's gateway is not reachable: " + error.getMessage());
                return null;
            });
        }
    }

    /** Starts (or finds) this device's gateway and pairs with it; empty when that failed (logged). */
    private String startedGatewayEndpoint() {
        try {
            Pairing pairing = LocalGatewayLauncher.ensureRunning(UiPreferences.gatewayHome(),
                    UiPreferences.startedGatewayOptions(), brokerPassword());
            tokens.put(pairing); // its token, and the pin of its certificate
            return pairing.endpoint();
        } catch (LocalGatewayLauncher.LaunchException | TokenStore.TokenStoreException e) {
            warn(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "";
    }

    /** The password of the team broker the gateway is to use, from Secure Storage; empty without one. */
    private static Optional<String> brokerPassword() {
        String broker = UiPreferences.presenceBroker();
        if (broker.isBlank()) {
            return Optional.empty();
        }
        BrokerPasswords passwords = BrokerPasswords.ofDefaultStore();
        try {
            return passwords == null ? Optional.empty() : passwords.password(broker);
        } catch (BrokerPasswords.BrokerPasswordException e) {
            warn(e.getMessage()); // the gateway starts anyway, and says the broker refused it
            return Optional.empty();
        }
    }

    /** Imports the lines of a pairing file into the token store; a bad line is reported by number, never shown. */
    void importPairings(String file) {
        if (file.isBlank()) {
            return;
        }
        List<String> lines;
        Path path = Path.of(file.strip());
        try {
            lines = Files.readAllLines(path);
            // its tokens are secrets: a file others can read is not imported (the message names the chmod)
            OwnerOnlyFiles.requireOwnerOnly(path, "the pairing file");
        } catch (OwnerOnlyFiles.NotOwnerOnly e) {
            warn(e.getMessage() + "; not imported");
            return;
        } catch (IOException e) {
            warn("the pairing file " + file + " cannot be read: " + e.getClass().getSimpleName());
            return;
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                tokens.put(Pairing.parse(line)); // a token, or a 'trust-without-token <endpoint>' line's trust
            } catch (IllegalArgumentException | TokenStore.TokenStoreException e) {
                warn(file + ":" + (i + 1) + ": not imported: " + e.getMessage());
            }
        }
    }

    private static void warn(String message) {
        ILog.of(PreferencesApplier.class).log(new Status(IStatus.WARNING, AgentChannelsUi.PLUGIN_ID, message));
    }
}
