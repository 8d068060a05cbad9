package org.agentchannels.cli;

import java.util.Optional;
import java.util.concurrent.TimeoutException;

import org.agentchannels.cli.AgentChannelsCli.Exit;
import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.core.GatewayEndpoints;
import org.agentchannels.core.protocol.JsonRpcCodes;
import org.agentchannels.core.presence.RemoteSession;
import org.agentchannels.core.presence.RemoteSessions;
import org.agentchannels.presence.DefaultPresenceTracker;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code agentchannels attach <session-id>}: prints the transcript and streams the running turn; with
 * {@code --send}, submits a prompt and waits for its turn. A session live on another device is dialled at
 * its endpoint, if this device paired that gateway (the connector refuses any other); one claimed by more than
 * one gateway at none; anything else is asked of this device's gateway. With {@code --approve}, the agent's
 * approvals are answered from here as they come.
 */
@Command(name = "attach", mixinStandardHelpOptions = true,
        description = "print the transcript, stream the running turn; with --send, submit TEXT and wait for its turn")
final class AttachCommand extends ClientCommand {

    @Parameters(paramLabel = "SESSION-ID", arity = "0..1", description = "a live session's id, or a stored session's")
    String sessionId;

    @Option(names = "--send", paramLabel = "TEXT", description = "a prompt to submit")
    String send;

    @Option(names = "--approve", paramLabel = "ANSWER",
            description = "answer every approval the agent asks for while attached: once, always or reject")
    String approve;

    AttachCommand(CliContext context) {
        super(context);
    }

    @Override
    int run(StandaloneGatewayConnector connector) throws GatewayException, TimeoutException, InterruptedException {
        if (sessionId == null) {
            return usage("attach needs exactly one session id");
        }
        Optional<String> approval = Optional.empty();
        if (approve != null) {
            approval = SessionFollower.approvalWord(approve);
            if (approval.isEmpty()) {
                return usage("--approve must be once, always or reject");
            }
        }
        if (options.gateway().isPresent()) {
            await(connector.connectLocal(options.gateway().get()));
        }
        String endpoint = null;
        String sessionKey = "";
        String knownTitle = "";
        if (options.presenceDir().isPresent() || options.gateway().isPresent()) {
            try (DefaultPresenceTracker tracker = new DefaultPresenceTracker(connector, context.clock(),
                    DefaultPresenceTracker.POLL_INTERVAL)) {
                tracker.setPresenceDirectory(options.presenceDir());
                RemoteSessions remote = await(tracker.refresh());
                Optional<RemoteSession> found = remote.find(sessionId);
                if (found.isPresent() && found.get().isConflicting()) {
                    context.fail("session " + sessionId + " is claimed by more than one gateway ("
                            + String.join(", ", found.get().conflictingEndpoints()) + "), so it is attached at none; "
                            + LiveCommand.CONFLICT_REMEDY);
                    return Exit.CONFLICTING;
                }
                if (found.isPresent()) {
                    endpoint = found.get().endpoint();
                    sessionKey = found.get().sessionKey();
                    knownTitle = found.get().title(); // a Hermes gateway's attach result has none
                }
            }
        }
        if (endpoint == null && options.gateway().isEmpty()) {
            context.fail("session " + sessionId + " is not live on another device; give --gateway to look on this "
                    + "device's gateway");
            return Exit.NO_SUCH_SESSION;
        }
        // a stored id (YYYYmmdd_HHMMSS_xxxxxx) on this device is resumed by that id
        if (endpoint == null && sessionId.contains("_")) {
            sessionKey = sessionId;
        }
        AttachedSession session;
        try {
            session = await(connector.attach(endpoint, sessionId, sessionKey, knownTitle));
        } catch (GatewayException e) {
            if (endpoint != null && e.kind() == GatewayException.Kind.RPC_ERROR
                    && (e.code() == JsonRpcCodes.SESSION_NOT_FOUND || e.code() == JsonRpcCodes.STORED_SESSION_NOT_FOUND)) {
                // its presence record outlived it (a Hermes gateway reaps a session its clients left)
                context.fail("session " + sessionId + " is no longer live on " + GatewayEndpoints.redact(endpoint)
                        + " (" + e.code() + "); its presence record is left over and will expire");
                return Exit.NO_SUCH_SESSION;
            }
            throw e;
        }
        return new SessionFollower(this, session, approval).follow(Optional.ofNullable(send));
    }
}
