package org.agentchannels.core.protocol;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.agentchannels.core.presence.SessionActivity;

/**
 * One session of a gateway as its own device lists it: the stored row ({@code session.list}) and, while it is
 * live, its live row ({@code session.active_list}). A Hermes gateway stores a session only at its first prompt,
 * so a live session may have no stored row yet.
 *
 * @param stored the stored row, or {@code null} for a live session not stored yet
 * @param live the live row, or {@code null} when the session is not live
 */
public record LocalSession(SessionSummary stored, SessionSummary live) {

    public LocalSession {
        if (stored == null && live == null) {
            throw new IllegalArgumentException("a session is stored, live or both");
        }
    }

    /** Joins the two lists by stored id: stored sessions first (newest first), then live ones not stored yet. */
    public static List<LocalSession> merge(List<SessionSummary> stored, List<SessionSummary> live) {
        Map<String, SessionSummary> liveByKey = new HashMap<>();
        for (SessionSummary l : live) {
            liveByKey.put(l.sessionKey().isEmpty() ? l.id() : l.sessionKey(), l);
        }
        List<LocalSession> out = new ArrayList<>();
        Set<String> matched = new HashSet<>();
        for (SessionSummary s : stored) {
            SessionSummary l = liveByKey.get(s.id());
            if (l != null) {
                matched.add(l.id());
            }
            out.add(new LocalSession(s, l));
        }
        for (SessionSummary l : live) {
            if (!matched.contains(l.id())) {
                out.add(new LocalSession(null, l));
            }
        }
        return List.copyOf(out);
    }

    /** The stored id, or for a session not stored yet its runtime id. */
    public String id() {
        if (stored != null) {
            return stored.id();
        }
        return live.sessionKey().isEmpty() ? live.id() : live.sessionKey();
    }

    /** The runtime id while live, else empty. */
    public String liveId() {
        return live == null ? "" : live.id();
    }

    public String title() {
        return stored != null && !stored.title().isEmpty() ? stored.title() : live == null ? "" : live.title();
    }

    /** What it is doing: {@link SessionActivity#IDLE} when it is not live. */
    public SessionActivity activity() {
        return live == null ? SessionActivity.IDLE : SessionActivity.fromStatus(live.status());
    }
}
