package org.agentchannels.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.agentchannels.cli.AgentChannelsCli.Exit;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.core.presence.RemoteSession;
import org.agentchannels.core.presence.RemoteSessions;
import org.agentchannels.presence.DefaultPresenceTracker;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import picocli.CommandLine.Command;

/** {@code agentchannels live}: the sessions live on other devices, from this device's gateway or the folder. */
@Command(name = "live", mixinStandardHelpOptions = true, description = "sessions live on other devices")
final class LiveCommand extends ClientCommand {

    LiveCommand(CliContext context) {
        super(context);
    }

    @Override
    int run(StandaloneGatewayConnector connector) throws GatewayException, TimeoutException, InterruptedException {
        if (options.gateway().isEmpty() && options.presenceDir().isEmpty()) {
            return usage("live needs --gateway (this device's gateway) or --presence-dir");
        }
        if (options.gateway().isPresent()) {
            await(connector.connectLocal(options.gateway().get()));
        }
        try (DefaultPresenceTracker tracker = new DefaultPresenceTracker(connector, context.clock(),
                DefaultPresenceTracker.POLL_INTERVAL)) {
            tracker.setPresenceDirectory(options.presenceDir());
            RemoteSessions sessions = await(tracker.refresh());
            double now = context.clock().millis() / 1000.0;
            if (options.json()) {
                context.out().println(Formats.pretty(toJson(sessions, now)));
            } else if (sessions.isEmpty()) {
                context.out().println("No sessions are live on other devices.");
            } else {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] { "SESSION", "TITLE", "HOST", "STATUS", "AGE", "ENDPOINT" });
                for (RemoteSession s : sessions.sessions()) {
                    rows.add(new String[] { s.sessionId(), s.title().isEmpty() ? "(untitled)" : s.title(), s.host(),
                            Formats.statusWord(s.activity()), Formats.age(now - s.updatedAt()), s.endpoint() });
                }
                Formats.printTable(context.out(), rows);
            }
            return Exit.OK;
        }
    }

    private static JsonArray toJson(RemoteSessions sessions, double now) {
        JsonArray array = new JsonArray();
        for (RemoteSession s : sessions.sessions()) {
            JsonObject o = new JsonObject();
            o.addProperty("session_id", s.sessionId());
            o.addProperty("session_key", s.sessionKey());
            o.addProperty("title", s.title());
            o.addProperty("host", s.host());
            o.addProperty("model", s.model());
            o.addProperty("status", s.status());
            o.addProperty("endpoint", s.endpoint());
            o.addProperty("updated_at", Formats.epochSeconds(s.updatedAt()));
            o.addProperty("age_seconds", Math.max(0, Math.round(now - s.updatedAt())));
            array.add(o);
        }
        return array;
    }
}
