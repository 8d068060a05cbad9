package org.agentchannels.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

/**
 * {@code agentchannels live}: the sessions live on other devices, from this device's gateway or the folder, each
 * saying whether its gateway is paired (only a paired one is ever dialled) or whether records of more than one
 * gateway claim it.
 */
@Command(name = "live", mixinStandardHelpOptions = true, description = "sessions live on other devices")
final class LiveCommand extends ClientCommand {

    /** What a session claimed by records of more than one gateway is called in the table. */
    static final String CONFLICTING = "conflicting claims";
    static final String NOT_PAIRED = "not paired";
    /** What to do about a conflicting session: said under the table, and by {@code attach}. */
    static final String CONFLICT_REMEDY = "remove the records that are not genuine from the presence folder, or wait "
            + "until they expire";

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
            Map<String, Boolean> paired = new HashMap<>();
            for (RemoteSession s : sessions.sessions()) {
                if (!s.isConflicting()) {
                    paired.computeIfAbsent(s.endpoint(), connector::isPaired);
                }
            }
            if (options.json()) {
                context.out().println(Formats.pretty(toJson(sessions, paired, now)));
            } else if (sessions.isEmpty()) {
                context.out().println("No sessions are live on other devices.");
            } else {
                printTable(sessions, paired, now);
            }
            return Exit.OK;
        }
    }

    private void printTable(RemoteSessions sessions, Map<String, Boolean> paired, double now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] { "SESSION", "TITLE", "HOST", "STATUS", "AGE", "ENDPOINT", "PAIRING" });
        boolean unpaired = false;
        boolean conflicting = false;
        for (RemoteSession s : sessions.sessions()) {
            String endpoint = s.isConflicting() ? String.join(", ", s.conflictingEndpoints()) : s.endpoint();
            String pairing;
            if (s.isConflicting()) {
                pairing = CONFLICTING;
                conflicting = true;
            } else if (paired.get(s.endpoint())) {
                pairing = "paired";
            } else {
                pairing = NOT_PAIRED;
                unpaired = true;
            }
            rows.add(new String[] { s.sessionId(), s.title().isEmpty() ? "(untitled)" : s.title(), s.host(),
                    Formats.statusWord(s.activity()), Formats.age(now - s.updatedAt()), endpoint, pairing });
        }
        Formats.printTable(context.out(), rows);
        if (unpaired) {
            context.out().println();
            context.out().println("Sessions on a gateway that is " + NOT_PAIRED + " cannot be attached: " + ClientCommand.HOW_TO_PAIR + ".");
        }
        if (conflicting) {
            context.out().println();
            context.out().println("Records of more than one gateway claim a session marked '" + CONFLICTING
                    + "': any of them may be planted, so it is attached at none; " + CONFLICT_REMEDY + ".");
        }
    }

    private static JsonArray toJson(RemoteSessions sessions, Map<String, Boolean> paired, double now) {
        JsonArray array = new JsonArray();
        for (RemoteSession s : sessions.sessions()) {
            JsonObject o = new JsonObject();
            o.addProperty("session_id", s.sessionId());
            o.addProperty("session_key", s.sessionKey());
            o.addProperty("title", s.title());
            o.addProperty("host", s.host());
            o.addProperty("model", s.model());
            o.addProperty("status", s.status());
            Formats.putSignIn(o, s.signIn());
            o.addProperty("endpoint", s.endpoint());
            o.addProperty("paired", !s.isConflicting() && paired.get(s.endpoint()));
            JsonArray claimants = new JsonArray();
            s.conflictingEndpoints().forEach(claimants::add);
            o.add("conflicting_endpoints", claimants);
            o.addProperty("updated_at", Formats.epochSeconds(s.updatedAt()));
            o.addProperty("age_seconds", Math.max(0, Math.round(now - s.updatedAt())));
            array.add(o);
        }
        return array;
    }
}
