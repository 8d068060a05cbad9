package org.agentchannels.ui.internal;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.agentchannels.connector.GatewayConnector;
import org.agentchannels.presence.PresenceTracker;
import org.agentchannels.ui.AgentChannelsUi;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The workbench's handle on the connector and presence services (Declarative Services), and the one place
 * that applies the Agent Channels preferences to them: the device name, this device's gateway, the presence
 * folder. Applying happens in a Job, never on the UI thread.
 */
public final class UiServices {

    private static final Object LOCK = new Object();
    private static ServiceTracker<GatewayConnector, GatewayConnector> connectors;
    private static ServiceTracker<PresenceTracker, PresenceTracker> trackers;
    private static boolean configured;
    private static final IEclipsePreferences.IPreferenceChangeListener REAPPLY = event -> applyPreferencesInBackground();

    private UiServices() {
    }

    private static BundleContext context() {
        Bundle bundle = FrameworkUtil.getBundle(UiServices.class);
        return bundle == null ? null : bundle.getBundleContext();
    }

    private static void open() {
        synchronized (LOCK) {
            if (connectors == null) {
                BundleContext context = context();
                if (context == null) {
                    return;
                }
                connectors = new ServiceTracker<>(context, GatewayConnector.class, null);
                trackers = new ServiceTracker<>(context, PresenceTracker.class, null);
                connectors.open();
                trackers.open();
            }
        }
    }

    /** The connector service, waiting briefly while DS starts it; empty outside OSGi or when it failed. */
    public static Optional<GatewayConnector> connector() {
        open();
        return service(connectors);
    }

    /** The presence tracker service, as {@link #connector()}. */
    public static Optional<PresenceTracker> presence() {
        open();
        return service(trackers);
    }

    private static <T> Optional<T> service(ServiceTracker<T, T> tracker) {
        try {
            return tracker == null ? Optional.empty() : Optional.ofNullable(tracker.waitForService(TimeUnit.SECONDS.toMillis(5)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Applies the preferences once (the first part that needs the services calls this) and on every change.
     * Off the UI thread it returns when they are applied, so an attach that follows names this device right.
     */
    public static void ensureConfigured() {
        synchronized (LOCK) {
            if (configured) {
                return;
            }
            configured = true;
        }
        UiPreferences.node().addPreferenceChangeListener(REAPPLY);
        if (org.eclipse.swt.widgets.Display.getCurrent() == null) {
            applyPreferences();
        } else {
            applyPreferencesInBackground();
        }
        if (org.eclipse.ui.PlatformUI.isWorkbenchRunning()) {
            Job listen = Job.create(Messages.Job_connecting, (IProgressMonitor monitor) -> {
                presence().ifPresent(p -> p.addListener(new RemoteNotifications(
                        org.eclipse.ui.PlatformUI.getWorkbench().getDisplay())));
                return Status.OK_STATUS;
            });
            listen.setSystem(true);
            listen.schedule();
        }
    }

    private static void applyPreferencesInBackground() {
        Job job = Job.create(Messages.Job_connecting, (IProgressMonitor monitor) -> {
            applyPreferences();
            return Status.OK_STATUS;
        });
        job.setSystem(true);
        job.schedule();
    }

    /** Starts (or finds) this device's gateway and pairs with it; empty when that failed (logged). */
    private static String startedGatewayEndpoint() {
        try {
            org.agentchannels.core.Pairing pairing = LocalGatewayLauncher.ensureRunning(UiPreferences.gatewayHome(),
                    UiPreferences.startedGatewayOptions());
            org.agentchannels.connector.TokenStore.secureStorage().put(pairing.endpoint(), pairing.token());
            return pairing.endpoint();
        } catch (LocalGatewayLauncher.LaunchException | org.agentchannels.connector.TokenStore.TokenStoreException e) {
            ILog.of(UiServices.class).log(new Status(IStatus.WARNING, AgentChannelsUi.PLUGIN_ID, e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "";
    }

    /** Imports the lines of a pairing file into Secure Storage; a bad line is reported by number, never shown. */
    static void importPairings(String file) {
        if (file.isBlank()) {
            return;
        }
        java.util.List<String> lines;
        try {
            lines = java.nio.file.Files.readAllLines(Path.of(file.strip()));
        } catch (java.io.IOException e) {
            ILog.of(UiServices.class).log(new Status(IStatus.WARNING, AgentChannelsUi.PLUGIN_ID,
                    "the pairing file " + file + " cannot be read: " + e.getClass().getSimpleName()));
            return;
        }
        org.agentchannels.connector.TokenStore store = org.agentchannels.connector.TokenStore.secureStorage();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                org.agentchannels.core.Pairing pairing = org.agentchannels.core.Pairing.parse(line);
                store.put(pairing.endpoint(), pairing.token());
            } catch (IllegalArgumentException | org.agentchannels.connector.TokenStore.TokenStoreException e) {
                ILog.of(UiServices.class).log(new Status(IStatus.WARNING, AgentChannelsUi.PLUGIN_ID,
                        file + ":" + (i + 1) + ": not imported: " + e.getMessage()));
            }
        }
    }

    /** Applies the preferences now; call off the UI thread. */
    public static void applyPreferences() {
        importPairings(UiPreferences.pairingFile());
        presence().ifPresent(p -> {
            String dir = UiPreferences.presenceDirectory();
            p.setPresenceDirectory(dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir)));
        });
        connector().ifPresent(c -> {
            c.setConfiguredDeviceName(UiPreferences.deviceName());
            // either this device's gateway is started here, or one already running is dialled at its endpoint
            String endpoint = UiPreferences.startGateway() ? startedGatewayEndpoint() : UiPreferences.localGateway();
            if (!endpoint.isBlank()) {
                c.connectLocal(endpoint).exceptionally(error -> {
                    ILog.of(UiServices.class).log(new Status(IStatus.WARNING, AgentChannelsUi.PLUGIN_ID,
                            "this device's gateway is not reachable: " + error.getMessage()));
                    return null;
                });
            }
        });
    }
}
