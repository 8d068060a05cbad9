package org.agentchannels.core.session;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.agentchannels.core.protocol.InputRequest;

/**
 * The blocking prompts a session waits on (approvals, questions), by key, in the order they came. Not
 * thread-safe: the {@link SessionModel} that owns it guards it with its own lock.
 */
final class PendingInputs {

    private final Map<String, InputRequest> byKey = new LinkedHashMap<>();

    void add(InputRequest request) {
        byKey.put(request.key(), request);
    }

    /** @return whether it was waiting */
    boolean remove(InputRequest request) {
        return byKey.remove(request.key()) != null;
    }

    /** The gateway says the request {@code requestId} is answered (by any device). @return it, or {@code null} */
    InputRequest resolve(String requestId) {
        for (var it = byKey.values().iterator(); it.hasNext();) {
            InputRequest r = it.next();
            if (r.requestId().equals(requestId)) {
                it.remove();
                return r;
            }
        }
        return null;
    }

    void clear() {
        byKey.clear();
    }

    boolean isEmpty() {
        return byKey.isEmpty();
    }

    List<InputRequest> all() {
        return List.copyOf(byKey.values());
    }
}
