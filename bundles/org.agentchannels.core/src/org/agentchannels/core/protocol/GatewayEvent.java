package org.agentchannels.core.protocol;

import java.util.List;

import com.google.gson.JsonObject;

/**
 * The events a chat client acts on (protocol notes, section 2), read from {@link Frame.Event}s by
 * {@link GatewayEvents#parse}. Every other event type is an {@link Unknown}, passed through untouched.
 */
public sealed interface GatewayEvent {

    /**
     * The first frame of every connection. Which keys it carries tells the client which gateway line it
     * speaks (protocol notes, section 7).
     *
     * @param deviceName the gateway host's sanitised device name; empty when absent or unresolved
     * @param heartbeat the gateway wants {@code gateway.ping} every 15 s (newer Hermes line)
     * @param eventSeq events carry {@code seq} and attach accepts {@code since_seq} (our gateway)
     * @param submissionIds {@code prompt.submit} accepts an idempotent {@code submission_id} (our gateway)
     * @param queuesPrompts a prompt sent during a turn is queued rather than refused with 4009
     */
    record GatewayReady(String deviceName, boolean heartbeat, boolean eventSeq, boolean submissionIds,
            boolean queuesPrompts, String replayEpoch) implements GatewayEvent {
    }

    record MessageStart() implements GatewayEvent {
    }

    record MessageDelta(String text) implements GatewayEvent {
    }

    record ReasoningDelta(String text) implements GatewayEvent {
    }

    /**
     * The end of a turn. {@code text} is authoritative: deltas can be coalesced or, on some transports, dropped.
     *
     * @param status {@code complete}, {@code error} or {@code interrupted}
     * @param error a readable reason when the status is {@code error}, else empty
     */
    record MessageComplete(String text, String status, String reasoning, String error, JsonObject usage)
            implements GatewayEvent {
    }

    record ToolGenerating(String name) implements GatewayEvent {
    }

    record ToolStart(String toolId, String name, String context) implements GatewayEvent {
    }

    record ToolComplete(String toolId, String name, String summary, double durationSeconds) implements GatewayEvent {
    }

    record StatusUpdate(String kind, String text) implements GatewayEvent {
    }

    /** @param running whether a turn runs, or {@code null} when the event does not say */
    record SessionInfo(String model, Boolean running) implements GatewayEvent {
    }

    record SessionTitle(String title) implements GatewayEvent {
    }

    record Participants(List<Participant> participants) implements GatewayEvent {
    }

    record InputRequested(InputRequest request) implements GatewayEvent {
    }

    /** A pending request was answered elsewhere or withdrawn ({@code request.cancel}). */
    record InputResolved(String requestId) implements GatewayEvent {
    }

    record Error(String message) implements GatewayEvent {
    }

    record Unknown(String type) implements GatewayEvent {
    }
}
