package org.agentchannels.core.presence;

import java.util.List;

/**
 * The identities of one session row this device already shows: its id, the root of its lineage
 * (the session it was branched or compressed from) and every id in that lineage. A presence record
 * naming any of them is a twin of a local row and must not be offered again as a remote session.
 */
public record LocalSessionRef(String id, String lineageRootId, List<String> lineageIds) {

    public LocalSessionRef {
        id = id == null ? "" : id;
        lineageRootId = lineageRootId == null ? "" : lineageRootId;
        lineageIds = lineageIds == null ? List.of() : List.copyOf(lineageIds);
    }

    public static LocalSessionRef of(String id) {
        return new LocalSessionRef(id, "", List.of());
    }
}
