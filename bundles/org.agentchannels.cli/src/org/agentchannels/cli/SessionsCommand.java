package org.agentchannels.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.agentchannels.cli.AgentChannelsCli.Exit;
import org.agentchannels.connector.DefaultGatewayConnector;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.Methods;
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
    int run(DefaultGatewayConnector connector) throws GatewayException, TimeoutException, InterruptedException {
        if (options.gateway().isEmpty()) {
            return usage("sessions needs --gateway (this device's gateway)");
        }
        GatewayConnection local = await(connector.connectLocal(options.gateway().get()));
        List<SessionSummary> live = SessionSummary.listFrom(await(local.request(Methods.SESSION_ACTIVE_LIST, new JsonObject())));
        List<SessionSummary> stored = SessionSummary.listFrom(await(local.request(Methods.SESSION_LIST, Methods.sessionList(200))));
        Map<String, SessionSummary> liveByKey = new HashMap<>();
        for (SessionSummary s : live) {
            liveByKey.put(s.sessionKey().isEmpty() ? s.id() : s.sessionKey(), s);
        }
        if (options.json()) {
            context.out().println(Formats.pretty(toJson(stored, liveByKey)));
            return Exit.OK;
        }
        if (stored.isEmpty()) {
            context.out().println("This device's gateway has no sessions.");
            return Exit.OK;
        }
        double now = context.clock().millis() / 1000.0;
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] { "ID", "TITLE", "MESSAGES", "STARTED", "LIVE" });
        for (SessionSummary s : stored) {
            SessionSummary l = liveByKey.get(s.id());
            rows.add(new String[] { s.id(), s.title().isEmpty() ? "(untitled)" : s.title(), Long.toString(s.messageCount()),
                    s.startedAt() > 0 ? Formats.age(now - s.startedAt()) + " ago" : "",
                    l == null ? "" : l.id() + " " + Formats.statusWord(SessionActivity.fromStatus(l.status())) });
        }
        Formats.printTable(context.out(), rows);
        return Exit.OK;
    }

    private static JsonArray toJson(List<SessionSummary> stored, Map<String, SessionSummary> liveByKey) {
        JsonArray array = new JsonArray();
        for (SessionSummary s : stored) {
            SessionSummary l = liveByKey.get(s.id());
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
