package org.agentchannels.ui.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.agentchannels.core.Pairing;
import org.agentchannels.gateway.launch.GatewayCommand;
import org.agentchannels.gateway.launch.GatewayHome;
import org.agentchannels.gateway.launch.GatewayLaunchException;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWiring;

/**
 * Starts this device's gateway when the workbench needs one and none runs: a separate process (so its
 * sessions outlive the workbench) made of the gateway bundles this installation carries, in the gateway's
 * home. A gateway already running from that home is used as it is. Either way the result is the pairing to
 * dial it with. How the process is made and what its home holds is the gateway's own launch API; an IDE
 * installation without the gateway bundle has none of it (the import is optional).
 */
public final class LocalGatewayLauncher {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final String LAUNCH_PACKAGE = "org.agentchannels.gateway.launch";

    /** Why no gateway could be had; the message is for the person. */
    public static final class LaunchException extends Exception {
        private static final long serialVersionUID = 1L;

        public LaunchException(String message) {
            super(message);
        }
    }

    private LocalGatewayLauncher() {
    }

    /**
     * The running gateway of {@code home}, started first (with {@code options} on its command line, and the team
     * broker's password, if any, in its environment) when there is none. A gateway already running is used as it
     * is: changed options apply when it next starts. Call off the UI thread.
     */
    public static synchronized Pairing ensureRunning(Path home, List<String> options, Optional<String> brokerPassword)
            throws LaunchException, InterruptedException {
        if (!gatewayInstalled()) {
            throw new LaunchException(Messages.Gateway_notInstalled);
        }
        Optional<Pairing> running = running(home);
        if (running.isPresent()) {
            return running.get();
        }
        try {
            return GatewayCommand.fromInstalledBundles().start(new GatewayHome(home), options, brokerPassword, START_TIMEOUT)
                    .pairing();
        } catch (GatewayLaunchException e) {
            throw new LaunchException(e.getMessage());
        }
    }

    /**
     * What is wrong with {@code url} as the started gateway's team presence broker, as the gateway would say;
     * empty when nothing is, or when this installation has no gateway to ask.
     */
    public static Optional<String> presenceBrokerProblem(String url) {
        return gatewayInstalled() ? GatewayCommand.presenceBrokerProblem(url) : Optional.empty();
    }

    /** The gateway running from {@code home}, if one does. */
    public static Optional<Pairing> running(Path home) {
        return gatewayInstalled() ? new GatewayHome(home).runningPairing() : Optional.empty();
    }

    /** Whether the optional import of the launch API is wired, that is, the installation carries the gateway. */
    public static boolean gatewayInstalled() {
        Bundle self = FrameworkUtil.getBundle(LocalGatewayLauncher.class);
        BundleWiring wiring = self == null ? null : self.adapt(BundleWiring.class);
        return wiring != null && wiring.getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE).stream()
                .anyMatch(w -> LAUNCH_PACKAGE.equals(w.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE)));
    }
}
