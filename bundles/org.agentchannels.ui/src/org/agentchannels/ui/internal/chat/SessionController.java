package org.agentchannels.ui.internal.chat;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.ConnectionState;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.GatewayConnector;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.core.session.SessionModel;
import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.AgentChannelsServices;
import org.agentchannels.ui.internal.GatewayFailures;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.ServiceHandle;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.osgi.util.NLS;

/**
 * A chat's hold on its session: attaches in a Job (once the services are there and the preferences applied),
 * passes on what changes in the session and its connection, and on {@link #close()} detaches and removes
 * every listener it added, however far the attach got. A close that comes first makes the attach stop
 * where it is; one that comes while the gateway answers makes it detach what it gets. Nothing is passed on
 * after a close.
 */
public final class SessionController {

    /** Told of changes, on any thread; never after {@link SessionController#close()}. */
    @FunctionalInterface
    public interface Listener {
        void sessionChanged(Set<SessionModel.Change> changes);
    }

    private final String endpoint;
    private final String sessionId;
    private final String sessionKey;
    private final String name;
    private final String knownTitle;
    private final String host;
    private final CompletableFuture<AgentChannelsServices> services;
    private final Listener listener;

    private final Object lock = new Object();
    private volatile boolean closed;
    private volatile GatewayConnector connector;
    private volatile AttachedSession session;
    private volatile String failure = "";
    private volatile Job job;
    /** Completes on close, so an attach waiting on the services, the preferences or the gateway stops at once. */
    private final CompletableFuture<Void> closing = new CompletableFuture<>();

    private final SessionModel.Listener modelListener = (model, changes) -> tell(changes);
    private final GatewayConnector.Listener connectionListener = new GatewayConnector.Listener() {
        @Override
        public void connectionStateChanged(GatewayConnection connection, ConnectionState state) {
            AttachedSession s = session;
            if (s != null && s.connection() == connection) {
                tell(EnumSet.of(SessionModel.Change.STATUS));
            }
        }
    };

    /**
     * @param endpoint the gateway's endpoint, empty for this device's own
     * @param name what the attach Job says it opens
     */
    public SessionController(String endpoint, String sessionId, String sessionKey, String name,
            CompletableFuture<AgentChannelsServices> services, Listener listener) {
        this(endpoint, sessionId, sessionKey, name, "", "", services, listener);
    }

    /**
     * @param knownTitle the session's title as the list it was opened from showed it, for a gateway whose answer
     *        names none (a Hermes gateway's); empty when unknown
     * @param host the gateway's device as the person knows it, for what the chat says
     */
    public SessionController(String endpoint, String sessionId, String sessionKey, String name, String knownTitle,
            String host, CompletableFuture<AgentChannelsServices> services, Listener listener) {
        this.endpoint = endpoint;
        this.sessionId = sessionId;
        this.sessionKey = sessionKey;
        this.name = name;
        this.knownTitle = knownTitle;
        this.host = host;
        this.services = services;
        this.listener = listener;
    }

    /** Starts attaching in a Job. */
    public void attach() {
        Job attach = Job.create(NLS.bind(Messages.Job_attaching, name), this::attachNow);
        attach.setSystem(true);
        job = attach;
        attach.schedule();
    }

    private IStatus attachNow(IProgressMonitor monitor) {
        try {
            unlessClosed(services).get(ServiceHandle.STARTUP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (closed) {
                return Status.CANCEL_STATUS;
            }
            AgentChannelsServices found = services.get();
            GatewayConnector c = found.connector();
            synchronized (lock) {
                if (closed) {
                    return Status.CANCEL_STATUS;
                }
                connector = c;
                c.addListener(connectionListener);
            }
            unlessClosed(found.configured()).get(); // this device's name and gateway come from the preferences
            if (closed) {
                return Status.CANCEL_STATUS;
            }
            CompletableFuture<AttachedSession> attaching = c.attach(endpoint.isEmpty() ? null : endpoint, sessionId,
                    sessionKey, knownTitle);
            unlessClosed(attaching).get();
            if (!attaching.isDone()) {
                attaching.thenAccept(c::detach); // closed while the gateway answers: let go of what it gives
                return Status.CANCEL_STATUS;
            }
            AttachedSession s = attaching.get();
            synchronized (lock) {
                if (closed) {
                    c.detach(s);
                    return Status.CANCEL_STATUS;
                }
                s.model().addListener(modelListener);
                session = s;
                failure = "";
            }
            tell(EnumSet.of(SessionModel.Change.HYDRATED));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (CancellationException e) {
            return Status.CANCEL_STATUS; // closed while waiting for the services
        } catch (TimeoutException e) {
            fail(Messages.Chat_noConnector);
        } catch (Exception e) {
            ILog.of(SessionController.class).log(new Status(IStatus.WARNING, AgentChannelsUi.PLUGIN_ID,
                    "opening the session " + name + " failed: " + GatewayException.of(e).getMessage()));
            if (!endpoint.isEmpty() && GatewayFailures.isNoLongerLive(e)) {
                // neither its runtime id nor its stored id opens it: its presence record outlived it
                services.thenAccept(found -> found.presence().markNoLongerLive(endpoint, sessionId));
                fail(NLS.bind(Messages.Chat_noLongerLive, host.isEmpty() ? endpoint : host));
            } else {
                fail(GatewayFailures.describe(e, endpoint));
            }
        }
        return Status.OK_STATUS;
    }

    /** Completes as {@code future} does, or when this controller closes, whichever comes first. */
    private CompletableFuture<?> unlessClosed(CompletableFuture<?> future) {
        return CompletableFuture.anyOf(future, closing);
    }

    private void fail(String why) {
        failure = why;
        tell(EnumSet.noneOf(SessionModel.Change.class));
    }

    private void tell(Set<SessionModel.Change> changes) {
        if (!closed) {
            listener.sessionChanged(changes);
        }
    }

    /** The attached session, or null before the attach (or after it failed, or after the close). */
    public AttachedSession session() {
        return session;
    }

    /** Why the attach failed, or empty. */
    public String failure() {
        return failure;
    }

    /** This device's name as the connector knows it, empty before the attach got the connector. */
    public String localDeviceName() {
        GatewayConnector c = connector;
        return c == null ? "" : c.localDeviceName();
    }

    /** Whether the attach Job is still on its way. */
    public boolean isAttaching() {
        Job j = job;
        return j != null && j.getState() != Job.NONE;
    }

    /** Detaches and removes every listener; nothing is passed on from now. */
    public void close() {
        AttachedSession s;
        GatewayConnector c;
        synchronized (lock) {
            closed = true;
            s = session;
            c = connector;
            session = null;
        }
        closing.complete(null);
        Job j = job;
        if (j != null) {
            j.cancel();
        }
        if (c != null) {
            c.removeListener(connectionListener);
            if (s != null) {
                s.model().removeListener(modelListener);
                c.detach(s);
            }
        }
    }
}
