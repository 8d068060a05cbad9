package org.agentchannels.cli;

import java.util.Optional;
import java.util.concurrent.TimeoutException;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.connector.GatewayException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code agentchannels new}: a session on this device's gateway, followed like {@code attach} follows one. */
@Command(name = "new", mixinStandardHelpOptions = true, description = "create a session on this device's gateway")
final class NewCommand extends ClientCommand {

    @Option(names = "--title", paramLabel = "TITLE", description = "the title of the new session")
    String title;

    @Option(names = "--send", paramLabel = "TEXT", description = "a first prompt to submit")
    String send;

    @Option(names = "--cwd", paramLabel = "DIR",
            description = "where the session's agent works on the gateway's machine: absolute, inside one of its workspaces")
    String cwd;

    NewCommand(CliContext context) {
        super(context);
    }

    @Override
    int run(StandaloneGatewayConnector connector) throws GatewayException, TimeoutException, InterruptedException {
        if (options.gateway().isEmpty()) {
            return usage("new needs --gateway (this device's gateway)");
        }
        await(connector.connectLocal(options.gateway().get()));
        AttachedSession session = await(connector.createSession(null, ClientOptions.present(title).orElse(""),
                ClientOptions.present(cwd).orElse("")));
        if (!options.json()) {
            context.out().println(TerminalText.line("session " + session.sessionId() + " (" + session.sessionKey() + ")"));
        }
        return new SessionFollower(this, session, Optional.empty()).follow(Optional.ofNullable(send));
    }
}
