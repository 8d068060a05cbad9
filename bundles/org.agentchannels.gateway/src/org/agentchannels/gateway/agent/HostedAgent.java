package org.agentchannels.gateway.agent;

import java.util.List;
import java.util.regex.Pattern;

import org.agentchannels.core.protocol.OfferedAgent;

/**
 * One of the agents a gateway offers: the id a client names at {@code session.create} ({@code opencode},
 * {@code gemini}, a name the gateway's owner chose), the label a person sees (a session's model), and the agent.
 */
public record HostedAgent(String id, String label, Agent agent) {

    /** What an id may be: lower-case letters, digits, dots, dashes and underscores, at most 32, a letter or digit first. */
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");

    public HostedAgent {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("an agent's id is lower-case letters, digits, '.', '-' or '_', not '" + id + "'");
        }
        if (agent == null) {
            throw new IllegalArgumentException("agent " + id + " has none");
        }
        label = label == null || label.isBlank() ? agent.model() : label.strip();
    }

    /** The agent as an id and the agent's own label ({@link Agent#model()}). */
    public static HostedAgent of(String id, Agent agent) {
        return new HostedAgent(id, null, agent);
    }

    /** What {@code gateway.ready} says of it. */
    public OfferedAgent offer() {
        return new OfferedAgent(id, label);
    }

    /** The ids of {@code agents}, joined for a message ("opencode, gemini"). */
    public static String ids(List<HostedAgent> agents) {
        return String.join(", ", agents.stream().map(HostedAgent::id).toList());
    }
}
