package org.agentchannels.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.agentchannels.cli.AgentChannelsCli.Exit;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.core.protocol.LocalSession;
import org.agentchannels.core.protocol.SessionSummary;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import picocli.CommandLine.Command;

/** {@code agentchannels sessions}: this device's gateway's stored sessions, and which of them are live. */
@Command(name = "sessions", mixinStandardHelpOptions = true, description = "this device's gateway's sessions")
final class SessionsCommand extends ClientCommand {

    SessionsCommand(CliContext context) {
        super(context);
    }

    @Override
    int run(StandaloneGatewayConnector connector) throws GatewayException, TimeoutException, InterruptedException {
        if (options.gateway().isEmpty()) {
            return usage("sessions needs --gateway (this device's gateway)");
        }
        GatewayConnection local = await(connector.connectLocal(options.gateway().get()));
        // the stored sessions, each with its live runtime when it has one
        List<LocalSession> stored = await(local.sessions()).stream().filter(s -> s.stored() != null).toList();
        if (options.json()) {
            context.out().println(Formats.pretty(toJson(stored)));
            return Exit.OK;
        }
        if (stored.isEmpty()) {
            context.out().println("This device's gateway has no sessions.");
            return Exit.OK;
        }
        double now = context.clock().millis() / 1000.0;
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] { "ID", "TITLE", "MESSAGES", "STARTED", "LIVE" });
        for (LocalSession session : stored) {
            SessionSummary s = session.stored();
            rows.add(new String[] { s.id(), s.title().isEmpty() ? "(untitled)" : s.title(), Long.toString(s.messageCount()),
                    s.startedAt() > 0 ? Formats.age(now - s.startedAt()) + " ago" : "",
                    session.live() == null ? "" : session.liveId() + " " + Formats.statusWord(session.activity()) });
        }
        Formats.printTable(context.out(), rows);
        return Exit.OK;
    }

    private static JsonArray toJson(List<LocalSession> stored) {
        JsonArray array = new JsonArray();
        for (LocalSession session : stored) {
            SessionSummary s = session.stored();
            SessionSummary l = session.live();
            JsonObject o = new JsonObject();
            o.addProperty("id", s.id());
            o.addProperty("title", s.title());
            o.addProperty("message_count", s.messageCount());
            o.addProperty("started_at", s.startedAt());
            o.addProperty("live", l != null);
            if (l != null) {
                o.addProperty("session_id", l.id());
                o.addProperty("status", l.status());
            }
            array.add(o);
        }
        return array;
    }
}
