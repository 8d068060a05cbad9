package org.agentchannels.connector.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.agentchannels.connector.GatewayConnection;

/**
 * The sessions a connector follows and which of them an event belongs to: by connection and runtime id, as the
 * same id may be live on two gateways. Thread-safe: events arrive on every connection's reader thread.
 */
final class SessionRoutes {

    private final List<SessionAttachment> attached = new CopyOnWriteArrayList<>();
    private final Map<String, SessionAttachment> routes = new ConcurrentHashMap<>();

    void add(SessionAttachment s) {
        attached.add(s);
        routes.put(key(s.connection(), s.sessionId()), s);
    }

    void remove(SessionAttachment s) {
        attached.remove(s);
        routes.remove(key(s.connection(), s.sessionId()), s);
    }

    /** The session now answers to another runtime id (a fallback resume rebuilt it) or connection. */
    void moved(SessionAttachment s, GatewayConnection oldConnection, String oldId) {
        routes.remove(key(oldConnection, oldId), s);
        routes.put(key(s.connection(), s.sessionId()), s);
    }

    /** The session of {@code sessionId} on {@code c}, or {@code null}. */
    SessionAttachment route(GatewayConnection c, String sessionId) {
        return routes.get(key(c, sessionId));
    }

    /** A session on {@code c} with this runtime id or stored key that is still followed, or {@code null}. */
    SessionAttachment find(GatewayConnection c, String sessionId, String sessionKey) {
        for (SessionAttachment s : attached) {
            if (s.connection() == c && !s.isDetached() && ((sessionId != null && !sessionId.isEmpty()
                    && sessionId.equals(s.sessionId())) || (sessionKey != null && !sessionKey.isEmpty()
                            && sessionKey.equals(s.sessionKey())))) {
                return s;
            }
        }
        return null;
    }

    /** The followed sessions on {@code c}, in the order they were attached. */
    List<SessionAttachment> on(GatewayConnection c) {
        return attached.stream().filter(s -> s.connection() == c).toList();
    }

    /** Stops routing the events of {@code c}'s sessions (its connection is being closed). */
    void dropRoutes(GatewayConnection c) {
        for (SessionAttachment s : on(c)) {
            s.markDetached();
            routes.remove(key(c, s.sessionId()));
        }
    }

    List<SessionAttachment> all() {
        return List.copyOf(attached);
    }

    private static String key(GatewayConnection c, String sessionId) {
        return System.identityHashCode(c) + "|" + c.endpoint() + "|" + sessionId;
    }
}
