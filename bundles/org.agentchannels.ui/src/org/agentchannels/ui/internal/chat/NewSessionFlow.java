package org.agentchannels.ui.internal.chat;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.GatewayConnector;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.core.GatewayEndpoints;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.AgentChannelsServices;
import org.agentchannels.ui.internal.GatewayFailures;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.ServiceHandle;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.window.Window;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IWorkbenchPage;

/**
 * New Session, from the Live view or the Sessions view: asks which agent and working directory
 * ({@link NewSessionDialog}, from what the gateway's ready frame offered), creates the session in a Job and
 * opens its chat. A gateway already connected has said what it offers, so the dialog opens at once; one not
 * dialled yet is dialled in a Job first. The UI thread never waits on the network.
 */
public final class NewSessionFlow {

    /** How long the Job waits for a gateway to answer its dial. */
    private static final long DIAL_SECONDS = 30;

    private NewSessionFlow() {
    }

    /**
     * @param endpoint the gateway's endpoint; empty for this device's own
     * @param host the gateway's device, as the person knows it
     */
    public static void start(IWorkbenchPage page, ServiceHandle<AgentChannelsServices> services, String endpoint,
            String host) {
        Optional<GatewayEvent.GatewayReady> known = services.now()
                .flatMap(found -> connectionOf(found.connector(), endpoint)).flatMap(GatewayConnection::ready);
        if (known.isPresent()) {
            ask(page, services, endpoint, host, known.get());
            return;
        }
        Display display = page.getWorkbenchWindow().getShell().getDisplay();
        Job job = Job.create(NLS.bind(Messages.Job_connectingTo, host), (IProgressMonitor monitor) -> {
            AgentChannelsServices found = services.awaitInJob().orElse(null);
            if (found == null) {
                return Status.error(Messages.Chat_noConnector);
            }
            try {
                GatewayConnection c = endpoint.isBlank() ? found.connector().localGateway().orElseThrow(
                        () -> new GatewayException(GatewayException.Kind.UNREACHABLE, Messages.SessionsView_noGateway))
                        : found.connector().gatewayForEndpoint(endpoint).get(DIAL_SECONDS, TimeUnit.SECONDS);
                GatewayEvent.GatewayReady ready = c.connect().get(DIAL_SECONDS, TimeUnit.SECONDS);
                display.asyncExec(() -> ask(page, services, endpoint, host, ready));
                return Status.OK_STATUS;
            } catch (Exception e) {
                return failed(host, endpoint, e);
            }
        });
        job.setUser(true);
        job.schedule();
    }

    /** The connection to the gateway at {@code endpoint} this device already has, if any; asks nothing. */
    static Optional<GatewayConnection> connectionOf(GatewayConnector connector, String endpoint) {
        if (endpoint.isBlank()) {
            return connector.localGateway();
        }
        String key;
        try {
            key = GatewayEndpoints.parse(endpoint).toString();
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // the dial says why
        }
        return connector.connections().stream().filter(c -> c.endpoint().equals(key)).findFirst();
    }

    // on the UI thread
    private static void ask(IWorkbenchPage page, ServiceHandle<AgentChannelsServices> services, String endpoint,
            String host, GatewayEvent.GatewayReady ready) {
        Shell shell = page.getWorkbenchWindow().getShell();
        if (shell == null || shell.isDisposed()) {
            return;
        }
        String agent = "";
        String cwd = "";
        if (!ready.agents().isEmpty() || !ready.workspaces().isEmpty()) { // a Hermes gateway offers no choice
            NewSessionDialog dialog = new NewSessionDialog(shell, host, ready.agents(), ready.workspaces());
            if (dialog.open() != Window.OK) {
                // a gateway dialled only to ask is not kept connected: idle remotes close as they do elsewhere
                Job prune = Job.create(NLS.bind(Messages.Job_connectingTo, host), (IProgressMonitor monitor) -> {
                    services.now().ifPresent(found -> found.connector().pruneIdleRemotes());
                    return Status.OK_STATUS;
                });
                prune.setSystem(true);
                prune.schedule();
                return;
            }
            agent = dialog.chosenAgent();
            cwd = dialog.chosenDirectory();
        }
        create(page, services, endpoint, host, agent, cwd);
    }

    /** Creates the session in a Job and opens its chat. */
    private static void create(IWorkbenchPage page, ServiceHandle<AgentChannelsServices> services, String endpoint,
            String host, String agent, String cwd) {
        Display display = page.getWorkbenchWindow().getShell().getDisplay();
        Job job = Job.create(NLS.bind(Messages.Job_creatingSession, host), (IProgressMonitor monitor) -> {
            AgentChannelsServices found = services.awaitInJob().orElse(null);
            if (found == null) {
                return Status.error(Messages.Chat_noConnector);
            }
            try {
                AttachedSession s = found.connector().createSession(endpoint, "", cwd, agent).get();
                display.asyncExec(() -> ChatEditor.open(page, endpoint, s.sessionId(), s.sessionKey(),
                        Messages.Session_untitled, host));
                return Status.OK_STATUS;
            } catch (Exception e) {
                return failed(host, endpoint, e);
            }
        });
        job.setUser(true);
        job.schedule();
    }

    private static IStatus failed(String host, String endpoint, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new Status(IStatus.ERROR, AgentChannelsUi.PLUGIN_ID,
                NLS.bind(Messages.Chat_createFailed, host, GatewayFailures.describe(e, endpoint)));
    }
}
