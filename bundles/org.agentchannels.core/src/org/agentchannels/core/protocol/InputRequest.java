package org.agentchannels.core.protocol;

import java.util.List;

import com.google.gson.JsonElement;

/**
 * The agent waits for a person: an approval, a clarification, a password or a secret. June-line gateways
 * send these as {@code *.request} events answered with {@code *.respond}; the newer line sends a JSON-RPC
 * request ({@code rpcId} set) answered with a response.
 *
 * @param requestId the gateway's {@code request_id}; empty for June-line approvals, which are keyed by session
 * @param prompt the question, or for an approval the command and its description
 * @param choices the offered answers, possibly empty (free text)
 * @param allowPermanent for an approval: whether "always" may be offered
 * @param rpcId the id of the server-to-client request, or {@code null} for the event style
 */
public record InputRequest(Kind kind, String sessionId, String requestId, String prompt, List<String> choices,
        boolean allowPermanent, JsonElement rpcId) {

    public enum Kind {
        APPROVAL("approval"), CLARIFY("clarify"), SUDO("sudo"), SECRET("secret");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        /** {@code approval}, {@code clarify}, ...: the stem of the event and method names. */
        public String wireName() {
            return wireName;
        }

        /** @return the kind named {@code stem}, or {@code null} */
        public static Kind fromWireName(String stem) {
            for (Kind k : values()) {
                if (k.wireName.equals(stem)) {
                    return k;
                }
            }
            return null;
        }
    }

    public InputRequest {
        sessionId = sessionId == null ? "" : sessionId;
        requestId = requestId == null ? "" : requestId;
        prompt = prompt == null ? "" : prompt;
        choices = choices == null ? List.of() : List.copyOf(choices);
    }

    /** One key per pending request, whichever style it came in. */
    public String key() {
        if (rpcId != null) {
            return "rpc:" + rpcId;
        }
        return kind.wireName + ":" + (requestId.isEmpty() ? sessionId : requestId);
    }
}
