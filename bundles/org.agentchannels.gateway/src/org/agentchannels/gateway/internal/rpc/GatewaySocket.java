package org.agentchannels.gateway.internal.rpc;

import java.nio.ByteBuffer;
import java.time.Duration;

import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.JsonRpcCodes;
import org.agentchannels.gateway.internal.LoggedFailure;
import org.agentchannels.gateway.internal.RpcException;
import org.agentchannels.gateway.internal.session.Bursts;
import org.agentchannels.gateway.internal.session.Client;
import org.agentchannels.gateway.internal.session.SharedText;
import org.agentchannels.gateway.internal.trust.PairedDevices;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.OpCode;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;

/**
 * The server end of one client connection. Public only because Jetty calls it through a public lookup.
 * A connection refused by the auth or origin check is accepted and closed at once with its code (4401,
 * 4403), so that every client, browsers included, learns why. What waits to be sent to it is bounded
 * ({@link SendBacklog}): a client that falls further behind is closed with 1013 and re-attaches with replay.
 */
public final class GatewaySocket implements Session.Listener.AutoDemanding {

    private static final System.Logger LOG = System.getLogger(GatewaySocket.class.getName());
    /** How long a client closed for falling behind may stay silent before its connection is dropped. */
    private static final Duration CLOSING_IDLE = Duration.ofSeconds(30);

    private final GatewayServer server;
    private final int refusal;
    private final String refusalReason;
    private final FrameCodec codec;
    private volatile Session session;
    private final Client client;
    private final SendBacklog backlog;
    private final PairedDevices.Device device;
    private volatile boolean revoked;
    /** Writes the frames a burst left waiting. */
    private final Bursts.Flushable flusher = () -> {
        Session s = session;
        if (s != null) {
            ((WebSocketSession) s).getCoreSession().flush(org.eclipse.jetty.util.Callback.NOOP);
        }
    };

    /** @param device the paired device whose token opened it, {@code null} for the owner's token */
    GatewaySocket(GatewayServer server, FrameCodec codec, int refusal, String refusalReason, PairedDevices.Device device) {
        this.server = server;
        this.codec = codec;
        this.refusal = refusal;
        this.refusalReason = refusalReason;
        this.device = device;
        this.client = device == null ? Client.sharing(this::send) : Client.sharing(device.name(), this::send);
        this.backlog = new SendBacklog(server.clientBacklogLimit());
    }

    @Override
    public void onWebSocketOpen(Session s) {
        session = s;
        if (refusal != 0) {
            s.close(refusal, refusalReason, Callback.NOOP);
            return;
        }
        server.opened(this);
        send(server.readyFrame());
    }

    private void send(String text) {
        send(new SharedText(text));
    }

    // never blocks: called under a session's fan-out lock
    private void send(SharedText text) {
        Session s = session;
        if (s == null || !s.isOpen() || revoked) {
            return;
        }
        byte[] utf8 = text.utf8();
        long bytes = utf8.length;
        SendBacklog.Admission admission = backlog.admit(bytes);
        switch (admission) {
            // the bytes encoded once for every viewer, each send with a view of its own
            // in a burst the frame waits in the transport's buffer with the others of the burst, written at its end
            case SEND, SEND_LARGE -> ((WebSocketSession) s).getCoreSession().sendFrame(
                    new org.eclipse.jetty.websocket.core.Frame(OpCode.TEXT, ByteBuffer.wrap(utf8)),
                    org.eclipse.jetty.util.Callback.from(() -> backlog.written(bytes, admission),
                            failure -> backlog.written(bytes, admission)), Bursts.holdFor(flusher));
            case OVERFLOWED -> {
                LOG.log(System.Logger.Level.WARNING, client + " fell behind: over " + backlog.limit()
                        + " bytes waiting to be sent (" + backlog.unsent() + "); closing it, it can re-attach");
                // the close frame waits behind what is queued; a client that never reads is dropped when idle
                s.setIdleTimeout(CLOSING_IDLE);
                s.close(JsonRpcCodes.CLOSE_TRY_AGAIN_LATER, "too far behind", Callback.NOOP);
            }
            case DROPPED -> {
                // being closed; what it misses comes back by replay or snapshot when it re-attaches
            }
        }
    }

    /** The paired device whose token opened this connection, {@code null} for the owner's token. */
    PairedDevices.Device device() {
        return device;
    }

    /**
     * Closes it with 4401: its device was revoked. From now on nothing it sends is served and nothing is sent to it,
     * even if it never answers the close (a stolen device would not); left silent, it is dropped.
     */
    void revoke() {
        revoked = true;
        Session s = session;
        if (s != null && s.isOpen()) {
            s.setIdleTimeout(CLOSING_IDLE);
            s.close(JsonRpcCodes.CLOSE_UNAUTHORIZED, "device revoked", Callback.NOOP);
        }
    }

    /** Bytes handed to the transport for this client and not yet written. */
    long unsentBytes() {
        return backlog.unsent();
    }

    Client client() {
        return client;
    }

    @Override
    public void onWebSocketText(String text) {
        if (refusal != 0 || revoked) {
            return;
        }
        Frame frame = codec.decode(text);
        switch (frame) {
            case Frame.Request r -> {
                JsonElement answer;
                try {
                    answer = server.dispatch(client, r);
                } catch (RpcException e) {
                    send(codec.encode(new Frame.Failure(r.id(), e.code(), e.getMessage(), null)));
                    return;
                } catch (RuntimeException e) {
                    // without its message, which may quote the request (a prompt, a title)
                    LOG.log(System.Logger.Level.ERROR, "handling " + r.method() + " failed", LoggedFailure.of(e));
                    send(codec.encode(new Frame.Failure(r.id(), JsonRpcCodes.INTERNAL_ERROR, "internal error", null)));
                    return;
                }
                send(codec.encode(new Frame.Response(r.id(), answer)));
            }
            case Frame.Malformed m -> send(codec.encode(new Frame.Failure(JsonNull.INSTANCE, m.error().jsonRpcCode(),
                    m.error().jsonRpcCode() == JsonRpcCodes.PARSE_ERROR ? "parse error" : "invalid request: "
                            + m.error().message(), null)));
            default -> {
                // answers and notifications from a client are not expected; the newer line's answers to
                // server requests would come here, and this gateway sends none
            }
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        if (refusal == 0) {
            server.closed(this);
        }
        session = null;
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "connection error: " + cause);
    }
}
