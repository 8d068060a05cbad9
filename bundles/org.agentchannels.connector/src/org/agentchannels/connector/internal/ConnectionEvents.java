package org.agentchannels.connector.internal;

import java.util.List;

import org.agentchannels.connector.ConnectionState;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.core.GatewayEndpoints;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.JsonRpcCodes;
import org.agentchannels.core.session.SessionModel;

/**
 * What every connection of a connector's pool reports, on the connection's reader thread: the local gateway
 * naming this device, sessions attaching again on each new socket, events routed to their session's model,
 * blocking prompts sent as server requests, and state changes passed on.
 */
final class ConnectionEvents implements GatewayConnection.Listener {

    private static final System.Logger LOG = System.getLogger(ConnectionEvents.class.getName());

    private final DefaultGatewayConnector connector;

    ConnectionEvents(DefaultGatewayConnector connector) {
        this.connector = connector;
    }

    @Override
    public void ready(GatewayConnection c, GatewayEvent.GatewayReady ready, boolean reconnected) {
        // first wins, and only this device's own gateway names it
        if (connector.isLocal(c)) {
            connector.namedByLocalGateway(ready.deviceName());
        } else {
            connector.connectedToPaired(c.endpoint(), ready.deviceName());
        }
        // every socket is new to the gateway: sessions attached on an earlier one (after a drop, or a
        // failed connection dialed again) attach again; on a first connect there are none yet
        for (SessionAttachment s : connector.sessions().on(c)) {
            if (!s.isDetached()) {
                long since = s.resumeSeq(ready);
                s.attach(since).exceptionally(error -> {
                    LOG.log(System.Logger.Level.WARNING, "re-attaching " + s + " failed: "
                            + GatewayException.of(error).getMessage());
                    return null;
                });
            }
        }
    }

    @Override
    public void event(GatewayConnection c, Frame.Event event) {
        SessionAttachment s = connector.sessions().route(c, event.sessionId());
        if (s == null) {
            return;
        }
        boolean before = keepsConnected(s.model());
        s.onEvent(event);
        if (before && !keepsConnected(s.model()) && connector.isRemote(c)) {
            // a remote turn finished: its connection may now be pruned
            connector.pruneSoon();
        }
    }

    /**
     * The seed's keep rule ({@link SessionActivity#keepsGatewayConnected}), and a turn that runs while the
     * session shows another state (its agent starting, or needing sign-in) is still a turn to follow, and a prompt
     * typed here that is on its way, queued or held is still to deliver.
     */
    static boolean keepsConnected(SessionModel model) {
        // asked at every event: no copy of the outbox
        return model.activity().keepsGatewayConnected() || model.isTurnRunning() || model.hasUndelivered();
    }

    @Override
    public void inputRequested(GatewayConnection c, InputRequest input) {
        SessionAttachment s = connector.sessions().route(c, input.sessionId());
        if (s == null) {
            List<SessionAttachment> onThis = connector.sessions().on(c);
            s = onThis.size() == 1 ? onThis.get(0) : null;
        }
        if (s == null) {
            c.refuse(input.rpcId(), JsonRpcCodes.SESSION_NOT_FOUND, "no attached session");
            return;
        }
        s.model().addInputRequest(input);
    }

    @Override
    public void stateChanged(GatewayConnection c, ConnectionState state) {
        connector.fireStateChanged(c, state);
    }

    @Override
    public void malformed(GatewayConnection c, String problem) {
        LOG.log(System.Logger.Level.WARNING, "a frame from " + GatewayEndpoints.redact(c.endpoint())
                + " was not understood: " + problem);
    }
}
