package org.agentchannels.gateway.internal.session;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.agentchannels.core.protocol.JsonRpcCodes;
import org.agentchannels.gateway.internal.RpcException;

/** The live sessions of one gateway, by runtime id and by stored id, and the making of new ids. */
final class SessionRegistry {

    private static final DateTimeFormatter STORED_ID = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, LiveSession> byRuntime = new LinkedHashMap<>();
    private final Map<String, LiveSession> byStored = new LinkedHashMap<>();

    SessionRegistry(Clock clock) {
        this.clock = clock;
    }

    /** The live session of a runtime id, or the JSON-RPC error a client gets for it. */
    synchronized LiveSession live(String runtimeId) throws RpcException {
        if (runtimeId.isEmpty()) {
            throw new RpcException(JsonRpcCodes.SESSION_ID_REQUIRED, "session_id required");
        }
        LiveSession s = byRuntime.get(runtimeId);
        if (s == null) {
            throw new RpcException(JsonRpcCodes.SESSION_NOT_FOUND, "session not found");
        }
        return s;
    }

    /** The live session of a stored id or, as the Hermes desktop sends one to resume, of a runtime id. */
    synchronized LiveSession byKey(String key) {
        LiveSession s = byStored.get(key);
        return s != null ? s : byRuntime.get(key);
    }

    /** Adds a session unless one with its stored id is live already, which is then returned instead. */
    synchronized LiveSession addIfAbsent(LiveSession s) {
        LiveSession already = byStored.get(s.storedId);
        if (already != null) {
            return already;
        }
        byRuntime.put(s.runtimeId, s);
        byStored.put(s.storedId, s);
        return s;
    }

    synchronized void remove(LiveSession s) {
        byRuntime.remove(s.runtimeId, s);
        byStored.remove(s.storedId, s);
    }

    /** The live sessions, oldest first. */
    synchronized List<LiveSession> all() {
        return new ArrayList<>(byRuntime.values());
    }

    /** Eight hex characters, as Hermes' runtime ids, unique among the live sessions. */
    synchronized String newRuntimeId() {
        byte[] b = new byte[4];
        String id;
        do {
            random.nextBytes(b);
            id = HexFormat.of().formatHex(b);
        } while (byRuntime.containsKey(id));
        return id;
    }

    /** {@code YYYYmmdd_HHMMSS_xxxxxx}, as Hermes' stored ids. */
    String newStoredId() {
        byte[] b = new byte[3];
        random.nextBytes(b);
        return LocalDateTime.ofInstant(clock.instant(), ZoneId.systemDefault()).format(STORED_ID) + "_"
                + HexFormat.of().formatHex(b);
    }
}
