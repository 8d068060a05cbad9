package org.agentchannels.gateway.internal.session;

import java.util.List;

import org.agentchannels.core.DisplayText;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.SlashCommand;
import org.agentchannels.gateway.agent.Agent;
import org.agentchannels.gateway.internal.RpcException;

/**
 * What the agent announces of a session outside its turns (its commands, its title), applied to the live session as a device's call would
 * be: under the session's lock, told to every viewer, handed to the store's queue (never waited for here: the
 * agent's reader thread goes on at once).
 */
final class AgentAnnouncements implements Agent.Host {

    private final SessionHost host;

    AgentAnnouncements(SessionHost host) {
        this.host = host;
    }

    @Override
    public void commands(String sessionId, List<SlashCommand> commands) {
        LiveSession s = live(sessionId);
        if (s == null) {
            return;
        }
        List<SlashCommand> offered = List.copyOf(commands);
        synchronized (s) {
            if (s.closed || offered.equals(s.commands)) {
                return;
            }
            s.commands = offered;
            String storedId = s.storedId;
            host.store.write("storing the agent's commands", store -> store.setCommands(storedId, offered));
            s.emit(new GatewayEvent.SessionCommands(offered));
        }
    }

    /** The agent's title becomes the session's, as {@code session.title} sets one: stored, told, published. */
    @Override
    public void title(String sessionId, String title) {
        LiveSession s = live(sessionId);
        String clean = DisplayText.title(title);
        if (s == null || clean.isEmpty()) {
            return;
        }
        synchronized (s) {
            if (s.closed || clean.equals(s.title)) {
                return;
            }
            s.title = clean;
            String storedId = s.storedId;
            host.store.write("storing the agent's title", store -> store.setTitle(storedId, clean));
            s.emit(new GatewayEvent.SessionTitle(clean, storedId));
            host.publish(s);
        }
    }

    private LiveSession live(String sessionId) {
        try {
            return host.registry.live(sessionId);
        } catch (RpcException e) {
            return null; // ended meanwhile
        }
    }
}
