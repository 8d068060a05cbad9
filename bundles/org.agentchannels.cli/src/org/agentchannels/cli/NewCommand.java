package org.agentchannels.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import org.agentchannels.cli.AgentChannelsCli.Exit;
import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.OfferedAgent;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code agentchannels new}: a session on this device's gateway, running the agent asked for ({@code --agent},
 * one of those the gateway offers: {@code --list-agents} prints them), followed like {@code attach} follows one.
 */
@Command(name = "new", mixinStandardHelpOptions = true, description = "create a session on this device's gateway")
final class NewCommand extends ClientCommand {

    @Option(names = "--title", paramLabel = "TITLE", description = "the title of the new session")
    String title;

    @Option(names = "--send", paramLabel = "TEXT", description = "a first prompt to submit")
    String send;

    @Option(names = "--cwd", paramLabel = "DIR",
            description = "where the session's agent works on the gateway's machine: absolute, inside one of its workspaces")
    String cwd;

    @Option(names = "--agent", paramLabel = "ID",
            description = "the agent the session runs: one the gateway offers (see --list-agents); default: its first")
    String agent;

    @Option(names = "--list-agents",
            description = "print the agents and workspaces the gateway offers for new sessions, and create none")
    boolean listAgents;

    NewCommand(CliContext context) {
        super(context);
    }

    @Override
    int run(StandaloneGatewayConnector connector) throws GatewayException, TimeoutException, InterruptedException {
        if (options.gateway().isEmpty()) {
            return usage("new needs --gateway (this device's gateway)");
        }
        if (listAgents && (title != null || send != null || cwd != null || agent != null)) {
            return usage("--list-agents creates no session: give it without --title, --send, --cwd or --agent");
        }
        GatewayConnection local = await(connector.connectLocal(options.gateway().get()));
        GatewayEvent.GatewayReady ready = await(local.connect());
        if (listAgents) {
            return list(ready);
        }
        String chosen = ClientOptions.present(agent).orElse("");
        if (!chosen.isEmpty() && ready.agents().isEmpty()) {
            return usage("this gateway offers no choice of agent: leave out --agent");
        }
        if (!chosen.isEmpty() && ready.agents().stream().noneMatch(a -> a.id().equals(chosen))) {
            return usage("the gateway offers no agent '" + chosen + "'; it offers " + ids(ready.agents())
                    + " (new --list-agents shows them)");
        }
        AttachedSession session = await(connector.createSession(null, ClientOptions.present(title).orElse(""),
                ClientOptions.present(cwd).orElse(""), chosen));
        if (!options.json()) {
            context.out().println(TerminalText.line("session " + session.sessionId() + " (" + session.sessionKey() + ")"
                    + (session.model().model().isEmpty() ? "" : ", agent " + session.model().model())));
        }
        return new SessionFollower(this, session, Optional.empty()).follow(Optional.ofNullable(send));
    }

    /** What the gateway offers: its agents (the default first) and its workspaces. */
    private int list(GatewayEvent.GatewayReady ready) {
        if (options.json()) {
            JsonObject o = new JsonObject();
            JsonArray agents = new JsonArray();
            for (OfferedAgent a : ready.agents()) {
                JsonObject entry = new JsonObject();
                entry.addProperty("id", a.id());
                entry.addProperty("label", a.label());
                entry.addProperty("default", agents.isEmpty());
                agents.add(entry);
            }
            o.add("agents", agents);
            JsonArray workspaces = new JsonArray();
            ready.workspaces().forEach(workspaces::add);
            o.add("workspaces", workspaces);
            context.out().println(Formats.pretty(o));
            return Exit.OK;
        }
        if (ready.agents().isEmpty()) {
            context.out().println("This gateway offers no choice of agent.");
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] { "AGENT", "LABEL", "" });
            for (OfferedAgent a : ready.agents()) {
                rows.add(new String[] { a.id(), a.label(), rows.size() == 1 ? "default" : "" });
            }
            Formats.printTable(context.out(), rows);
        }
        if (!ready.workspaces().isEmpty()) {
            context.out().println();
            context.out().println("Workspaces (--cwd is one of them or inside one; without --cwd, the first):");
            ready.workspaces().forEach(w -> context.out().println(TerminalText.line("  " + w)));
        }
        return Exit.OK;
    }

    private static String ids(List<OfferedAgent> agents) {
        return String.join(", ", agents.stream().map(OfferedAgent::id).toList());
    }
}
