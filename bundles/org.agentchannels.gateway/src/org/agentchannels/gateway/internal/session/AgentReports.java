package org.agentchannels.gateway.internal.session;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.SignIn;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.agent.Agent;

/**
 * Where the agent reports on one session outside its turns ({@link Agent.SessionEvents}): its state (starting,
 * needs sign-in), its own id for the session, a session it could not reopen. The state and the id are taken in
 * order on the gateway's one thread for them, never on the agent's (which may hold locks a turn waits on); a
 * session it could not reopen is noted at once, like a turn's report, so that the note comes before whatever the
 * agent answers next. All are applied under the session's lock; what is stored goes to the store's queue.
 */
final class AgentReports implements Agent.SessionEvents {

    static final String FORGOTTEN_TEXT = "The agent could not reopen its session and no longer remembers the earlier"
            + " turns of this one; what it is told from here on starts afresh.";

    private final SessionHost host;
    private final LiveSession s;
    private final Executor thread;

    AgentReports(SessionHost host, LiveSession s, Executor thread) {
        this.host = host;
        this.s = s;
        this.thread = thread;
    }

    @Override
    public void stateChanged() {
        later(this::applyState);
    }

    @Override
    public void agentSessionId(String id) {
        String storedId = s.storedId;
        later(() -> host.store.write("storing the agent's session id", store -> store.setAgentSessionId(storedId, id)));
    }

    @Override
    public void forgotten() {
        addForgottenNote();
    }

    private void later(Runnable report) {
        try {
            thread.execute(report);
        } catch (RejectedExecutionException e) {
            // the gateway stops: nothing is reported any more
        }
    }

    private void applyState() {
        Agent.SessionState state = s.agent.agent().state(s.runtimeId);
        SignIn signIn = state.signIn() == null ? null : new SignIn(host.deviceName, state.signIn());
        synchronized (s) {
            if (s.closed || (state.starting() == s.agentStarting && Objects.equals(signIn, s.signIn))) {
                return;
            }
            s.agentStarting = state.starting();
            s.signIn = signIn;
            host.emitInfo(s);
            host.publish(s);
        }
    }

    /** A note, once the transcript has earlier turns to forget (not counting the one running). */
    private void addForgottenNote() {
        synchronized (s) {
            long earlier = s.rows.stream().filter(r -> TranscriptRow.USER.equals(r.role())).count() - (s.running ? 1 : 0);
            if (s.closed || earlier <= 0) {
                return;
            }
            TranscriptRow note = TranscriptRow.system(FORGOTTEN_TEXT, GatewayEvent.SystemNote.AGENT_FORGOT);
            s.rows.add(note);
            String storedId = s.storedId;
            double now = host.now();
            host.store.write("storing a note", store -> store.append(storedId, note, null, now));
            s.emit(new GatewayEvent.SystemNote(note.text(), note.status()));
            host.publish(s);
        }
    }
}
