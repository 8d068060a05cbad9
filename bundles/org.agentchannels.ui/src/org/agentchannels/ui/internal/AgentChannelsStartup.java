package org.agentchannels.ui.internal;

import java.util.concurrent.CompletableFuture;

import org.agentchannels.connector.GatewayConnector;
import org.agentchannels.connector.TokenStore;
import org.agentchannels.presence.PresenceTracker;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Starts Agent Channels in the workbench: given the connector, the presence tracker and the token store by
 * Declarative Services, it installs the log bridge, applies the preferences in a Job (again on every
 * change), notifies of remote sessions that finish or need input, and offers all of it to the parts as
 * {@link AgentChannelsServices}. Deactivation cancels the Job and undoes the rest.
 */
@Component(service = AgentChannelsServices.class, immediate = true)
public final class AgentChannelsStartup implements AgentChannelsServices {

    private final GatewayConnector connector;
    private final PresenceTracker presence;
    private final TokenStore tokens;
    private final PreferencesApplier applier;
    private final PlatformLogBridge logBridge = new PlatformLogBridge();
    private final RemoteNotifications notifications = new RemoteNotifications();
    private final CompletableFuture<Void> configured = new CompletableFuture<>();
    private final Job applyJob;
    private final IEclipsePreferences.IPreferenceChangeListener reapply = event -> scheduleApply();

    @Activate
    public AgentChannelsStartup(@Reference(name = "connector") GatewayConnector connector,
            @Reference(name = "presence") PresenceTracker presence, @Reference(name = "tokens") TokenStore tokens) {
        this.connector = connector;
        this.presence = presence;
        this.tokens = tokens;
        this.applier = new PreferencesApplier(connector, presence, tokens);
        this.applyJob = Job.create(Messages.Job_applyingPreferences, (IProgressMonitor monitor) -> {
            apply(monitor);
            return monitor.isCanceled() ? Status.CANCEL_STATUS : Status.OK_STATUS;
        });
        applyJob.setSystem(true);
        logBridge.install();
        UiPreferences.node().addPreferenceChangeListener(reapply);
        presence.addListener(notifications);
        scheduleApply();
    }

    /** Undoes the activation: for Declarative Services, and for tests of components they made themselves. */
    @Deactivate
    public void deactivate() {
        UiPreferences.node().removePreferenceChangeListener(reapply);
        presence.removeListener(notifications);
        applyJob.cancel();
        configured.cancel(false);
        logBridge.uninstall();
    }

    /** A change scheduled while an application runs makes it run once more afterwards. */
    private void scheduleApply() {
        applyJob.schedule();
    }

    /** Applies the preferences now, on the calling thread (never the UI thread): for tests. */
    public void applyPreferences() {
        apply(new NullProgressMonitor());
    }

    private void apply(IProgressMonitor monitor) {
        try {
            applier.apply(monitor);
        } finally {
            configured.complete(null);
        }
    }

    @Override
    public GatewayConnector connector() {
        return connector;
    }

    @Override
    public PresenceTracker presence() {
        return presence;
    }

    @Override
    public TokenStore tokens() {
        return tokens;
    }

    @Override
    public CompletableFuture<Void> configured() {
        return configured;
    }
}
