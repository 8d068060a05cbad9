package org.agentchannels.core.session;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.GatewayEvents;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.Participant;
import org.agentchannels.core.protocol.SessionSnapshot;
import org.agentchannels.core.protocol.SignIn;
import org.agentchannels.core.protocol.SlashCommand;
import org.agentchannels.core.protocol.TranscriptRow;

/**
 * One session as a viewer sees it: the transcript, the turn in flight assembled from deltas, what the agent
 * waits for, who takes part, and whether it is working, needs input or is idle (derived as protocol notes
 * section 2 describes). Network threads apply events; any thread reads. Listeners are called after each
 * change, outside the model's lock, on the thread that changed it; they must return quickly (a view
 * coalesces and repaints later).
 *
 * <p>Events numbered by the gateway ({@code seq}) are applied at most once: an event at or below the last
 * number seen is a replayed duplicate and is ignored. That is what lets a reconnect replay "since" a number
 * without doubling anything.
 *
 * <p>What it keeps of one turn is bounded ({@link #MAX_TURN_CHARS}): the rest is dropped and the turn's row is
 * {@linkplain TranscriptRow#truncated() marked cut}.
 */
public final class SessionModel {

    /** The most kept of one turn's answer, reasoning and tool rows together (4 Mi chars, up to 8 MiB). */
    public static final int MAX_TURN_CHARS = 4 * 1024 * 1024;

    /** What changed, so a view repaints only the part that did. */
    public enum Change {
        /** The transcript was replaced (hydration). */
        HYDRATED,
        /** Rows were added or replaced. */
        ROWS,
        /** The turn in flight grew (a delta). */
        STREAM,
        STATUS,
        PARTICIPANTS,
        TITLE,
        /** A blocking prompt arrived or was resolved. */
        INPUT,
        /** A prompt typed here changed state. */
        OUTGOING,
        /** The commands the session's agent offers changed. */
        COMMANDS
    }

    /**
     * A blocking prompt that was answered, by which device, with what ({@link GatewayEvent.InputResolved}).
     *
     * @param answer the approval's chosen option, empty for a question
     */
    public record Resolution(InputRequest request, String answeredBy, String answer) {
    }

    @FunctionalInterface
    public interface Listener {
        void sessionChanged(SessionModel model, Set<Change> changes);
    }

    private final Object lock = new Object();
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();

    private String sessionId;
    private String sessionKey = "";
    private String title = "";
    private String model = "";
    private final ArrayList<TranscriptRow> rows = new ArrayList<>();
    private final AgentRows agentRows = new AgentRows(rows);
    private List<SlashCommand> commands = List.of();
    private final StreamedTurn stream;
    private boolean streaming;
    private boolean running;
    private boolean starting;
    /** What the agent needs to be signed in, while it does (our gateway says so); else {@code null}. */
    private SignIn signIn;
    private final PendingInputs pendingInputs = new PendingInputs();
    private final Outbox outgoing = new Outbox();
    private List<Participant> participants = List.of();
    private long lastSeq = -1;
    private String lastError = "";
    private Resolution lastResolution;
    /** What a Hermes gateway's spinner says while the turn runs; never part of the transcript. */
    private String spinner = "";

    public SessionModel(String sessionId) {
        this(sessionId, MAX_TURN_CHARS);
    }

    /** @param maxTurnChars the most kept of one turn ({@link #MAX_TURN_CHARS}; tests make it small) */
    public SessionModel(String sessionId, int maxTurnChars) {
        this.sessionId = sessionId == null ? "" : sessionId;
        this.stream = new StreamedTurn(maxTurnChars);
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    // ------------------------------------------------------------------ writes

    /**
     * Takes an attach result. A replay applies the missed events; a full snapshot replaces the transcript and
     * the turn in flight. Prompts typed here that the gateway already accepted leave the outbox (the snapshot
     * or a later {@code message.start} holds them); those still waiting to be sent stay.
     */
    public void hydrate(SessionSnapshot snapshot) {
        if (snapshot.isReplay()) {
            synchronized (lock) {
                adoptIds(snapshot);
                if (snapshot.participants() != null) {
                    participants = snapshot.participants();
                }
            }
            for (Frame.Event event : snapshot.replay()) {
                apply(event);
            }
            return;
        }
        EnumSet<Change> changes = EnumSet.of(Change.HYDRATED, Change.STATUS);
        synchronized (lock) {
            adoptIds(snapshot);
            rows.clear();
            rows.addAll(snapshot.messages());
            agentRows.reindex(snapshot.running());
            if (!snapshot.commands().equals(commands)) {
                commands = snapshot.commands();
                changes.add(Change.COMMANDS);
            }
            stream.clear();
            spinner = "";
            running = snapshot.running();
            streaming = snapshot.running();
            starting = "starting".equals(snapshot.status()) || "resuming".equals(snapshot.status());
            signIn = snapshot.signIn();
            if (snapshot.running()) {
                stream.appendText(snapshot.inflightAssistant());
                String user = snapshot.inflightUser();
                if (!user.isEmpty() && !endsWithUserRow(user)) {
                    rows.add(TranscriptRow.user(user, ""));
                }
            }
            if (!snapshot.title().isEmpty()) {
                title = snapshot.title();
                changes.add(Change.TITLE);
            }
            if (!snapshot.model().isEmpty()) {
                model = snapshot.model();
            }
            if (snapshot.lastSeq() >= 0) {
                lastSeq = snapshot.lastSeq();
            }
            if (snapshot.participants() != null) {
                participants = snapshot.participants();
                changes.add(Change.PARTICIPANTS);
            }
            if (outgoing.removeAccepted()) {
                changes.add(Change.OUTGOING);
            }
            // our gateway says which blocking prompts wait; a June-line snapshot says nothing of them
            for (InputRequest request : snapshot.pendingRequests()) {
                pendingInputs.add(request);
                changes.add(Change.INPUT);
            }
        }
        fire(changes);
    }

    private void adoptIds(SessionSnapshot snapshot) {
        if (!snapshot.sessionId().isEmpty()) {
            sessionId = snapshot.sessionId();
        }
        if (!snapshot.sessionKey().isEmpty()) {
            sessionKey = snapshot.sessionKey();
        }
    }

    /**
     * Applies one event of this session.
     *
     * @return false when it was a duplicate (its {@code seq} was already seen) and changed nothing
     */
    public boolean apply(Frame.Event frame) {
        Set<Change> changes;
        synchronized (lock) {
            if (frame.seq() >= 0) {
                if (frame.seq() <= lastSeq) {
                    return false;
                }
                lastSeq = frame.seq();
            }
            changes = applyLocked(GatewayEvents.parse(frame), frame);
        }
        fire(changes);
        return true;
    }

    private Set<Change> applyLocked(GatewayEvent event, Frame.Event frame) {
        switch (event) {
            case GatewayEvent.MessageStart start -> {
                EnumSet<Change> changes = EnumSet.of(Change.STATUS, Change.STREAM);
                streaming = true;
                running = true;
                starting = false;
                spinner = "";
                stream.clear();
                agentRows.turnBoundary();
                lastResolution = null; // who answered the last turn's question is old news in the next
                Outbox.Started started = outgoing.turnStarted(start.input(), start.senderDevice(), start.submissionId());
                if (started.row() != null) {
                    rows.add(started.row());
                    changes.add(Change.ROWS);
                }
                if (started.changed()) {
                    changes.add(Change.OUTGOING);
                }
                return changes;
            }
            case GatewayEvent.MessageDelta delta -> {
                boolean changed = !streaming || !running || !stream.truncated();
                streaming = true;
                running = true;
                // past the turn's budget nothing is kept, and nothing is said but once
                return stream.appendText(delta.text()) || changed ? EnumSet.of(Change.STREAM) : EnumSet.noneOf(Change.class);
            }
            case GatewayEvent.ReasoningDelta delta -> {
                boolean changed = !streaming || !stream.truncated();
                streaming = true;
                return stream.appendReasoning(delta.text()) || changed ? EnumSet.of(Change.STREAM)
                        : EnumSet.noneOf(Change.class);
            }
            case GatewayEvent.Spinner status -> {
                String now = running || streaming ? status.text() : ""; // a spinner outside a turn says nothing
                if (now.equals(spinner)) {
                    return EnumSet.noneOf(Change.class);
                }
                spinner = now;
                return EnumSet.of(Change.STATUS);
            }
            case GatewayEvent.MessageComplete complete -> {
                spinner = "";
                rows.add(stream.finish(complete));
                agentRows.turnBoundary();
                lastError = "error".equals(complete.status()) ? complete.error() : "";
                streaming = false;
                running = false;
                if (!"complete".equals(complete.status())) {
                    // an interrupted or failed turn releases what it waited for
                    pendingInputs.clear();
                }
                return EnumSet.of(Change.ROWS, Change.STREAM, Change.STATUS, Change.INPUT);
            }
            case GatewayEvent.ToolStart tool -> {
                // Hermes' tool ids are its own; only a row with detail is one an update may find again
                return changedRows(agentRows.tool(tool.call() == null ? "" : tool.toolId(), tool.row(), stream));
            }
            case GatewayEvent.ToolUpdate tool -> {
                return changedRows(agentRows.tool(tool.toolId(), tool.row(), stream));
            }
            case GatewayEvent.ToolComplete complete -> {
                return changedRows(agentRows.toolComplete(complete));
            }
            case GatewayEvent.PlanUpdate plan -> {
                return changedRows(agentRows.plan(plan.entries(), stream));
            }
            case GatewayEvent.SystemNote note -> {
                if (!stream.admitRow(note.text().length())) {
                    return EnumSet.noneOf(Change.class);
                }
                rows.add(TranscriptRow.system(note.text(), note.kind()));
                return EnumSet.of(Change.ROWS);
            }
            case GatewayEvent.SessionCommands offered -> {
                if (offered.commands().equals(commands)) {
                    return EnumSet.noneOf(Change.class);
                }
                commands = offered.commands();
                return EnumSet.of(Change.COMMANDS);
            }
            case GatewayEvent.SessionInfo info -> {
                EnumSet<Change> changes = EnumSet.noneOf(Change.class);
                if (!info.model().isEmpty()) {
                    model = info.model();
                }
                if (!info.status().isEmpty()) { // our gateway: whether its agent starts or needs signing in
                    boolean nowStarting = "starting".equals(info.status());
                    if (nowStarting != starting || !java.util.Objects.equals(signIn, info.signIn())) {
                        changes.add(Change.STATUS);
                    }
                    starting = nowStarting;
                    signIn = info.signIn();
                } else if (starting) {
                    starting = false; // a Hermes gateway says so once its agent is built
                    changes.add(Change.STATUS);
                }
                if (info.running() != null && info.running() != running) {
                    running = info.running();
                    if (!running) {
                        streaming = false;
                        spinner = "";
                    }
                    changes.add(Change.STATUS);
                }
                return changes;
            }
            case GatewayEvent.SessionTitle t -> {
                title = t.title();
                return EnumSet.of(Change.TITLE);
            }
            case GatewayEvent.Participants p -> {
                participants = p.participants();
                return EnumSet.of(Change.PARTICIPANTS);
            }
            case GatewayEvent.InputRequested requested -> {
                pendingInputs.add(requested.request());
                return EnumSet.of(Change.INPUT, Change.STATUS);
            }
            case GatewayEvent.InputResolved resolved -> {
                InputRequest request = pendingInputs.resolve(resolved.requestId());
                if (request == null) {
                    return EnumSet.noneOf(Change.class);
                }
                if (!resolved.answeredBy().isEmpty()) {
                    lastResolution = new Resolution(request, resolved.answeredBy(), resolved.answer());
                }
                return EnumSet.of(Change.INPUT, Change.STATUS);
            }
            case GatewayEvent.Error error -> {
                lastError = error.message();
                return EnumSet.of(Change.STATUS);
            }
            default -> {
                return EnumSet.noneOf(Change.class);
            }
        }
    }

    private static Set<Change> changedRows(boolean changed) {
        return changed ? EnumSet.of(Change.ROWS) : EnumSet.noneOf(Change.class);
    }

    /** A blocking prompt sent as a server request (newer Hermes line), or answered here. */
    public void addInputRequest(InputRequest request) {
        synchronized (lock) {
            pendingInputs.add(request);
        }
        fire(EnumSet.of(Change.INPUT, Change.STATUS));
    }

    public void resolveInputRequest(InputRequest request) {
        boolean removed;
        synchronized (lock) {
            removed = pendingInputs.remove(request);
        }
        if (removed) {
            fire(EnumSet.of(Change.INPUT, Change.STATUS));
        }
    }

    /** Shows a prompt typed here until its turn starts. */
    public void addOutgoing(String submissionId, String text, String senderDevice) {
        synchronized (lock) {
            outgoing.add(submissionId, text, senderDevice);
        }
        fire(EnumSet.of(Change.OUTGOING));
    }

    public void markOutgoing(String submissionId, OutgoingPrompt.State state, String failure) {
        boolean changed;
        synchronized (lock) {
            changed = outgoing.mark(submissionId, state, failure);
        }
        if (changed) {
            fire(EnumSet.of(Change.OUTGOING));
        }
    }

    /** Clears a failed prompt the person dismissed or sent again. */
    public void removeOutgoing(String submissionId) {
        boolean removed;
        synchronized (lock) {
            removed = outgoing.remove(submissionId);
        }
        if (removed) {
            fire(EnumSet.of(Change.OUTGOING));
        }
    }

    /** Whether the transcript's last user row is {@code text} (a snapshot may hold the prompt in flight already). */
    private boolean endsWithUserRow(String text) {
        return rows.reversed().stream().filter(r -> TranscriptRow.USER.equals(r.role())).findFirst()
                .map(r -> r.text().equals(text)).orElse(false);
    }

    /** One field or value read under the model's lock. */
    private <T> T read(Supplier<T> value) {
        synchronized (lock) {
            return value.get();
        }
    }

    private void fire(Set<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        Set<Change> view = Collections.unmodifiableSet(changes);
        for (Listener listener : listeners) {
            listener.sessionChanged(this, view);
        }
    }

    // ------------------------------------------------------------------ reads

    public String sessionId() {
        return read(() -> sessionId);
    }

    public String sessionKey() {
        return read(() -> sessionKey);
    }

    public String title() {
        return read(() -> title);
    }

    public String model() {
        return read(() -> model);
    }

    /** @return a copy of the transcript (finished rows only) */
    public List<TranscriptRow> rows() {
        return read(() -> List.copyOf(rows));
    }

    public int rowCount() {
        return read(() -> rows.size());
    }

    /** Reads a range of rows without copying the whole transcript (virtual tables). */
    public List<TranscriptRow> rows(int from, int to) {
        synchronized (lock) {
            int end = Math.min(to, rows.size());
            return from >= end ? List.of() : List.copyOf(rows.subList(Math.max(0, from), end));
        }
    }

    /** The commands the session's agent offers, typed as {@code /name}; empty when it offers none. */
    public List<SlashCommand> commands() {
        return read(() -> commands);
    }

    public boolean isStreaming() {
        return read(() -> streaming);
    }

    public String streamingText() {
        return read(() -> stream.text.toString());
    }

    public String streamingReasoning() {
        return read(() -> stream.reasoning.toString());
    }

    /** Whether the turn in flight went over {@link #MAX_TURN_CHARS} and its further text is being dropped. */
    public boolean isStreamTruncated() {
        return read(() -> stream.truncated());
    }

    /**
     * Needs input wins over needs sign-in, which wins over starting (a turn may wait for its agent to start),
     * starting over working, else idle.
     */
    public SessionActivity activity() {
        synchronized (lock) {
            if (!pendingInputs.isEmpty()) {
                return SessionActivity.NEEDS_INPUT;
            }
            if (signIn != null) {
                return SessionActivity.NEEDS_SIGN_IN;
            }
            if (starting) {
                return SessionActivity.STARTING;
            }
            return running || streaming ? SessionActivity.WORKING : SessionActivity.IDLE;
        }
    }

    /**
     * What a Hermes gateway's spinner says while the turn runs ("(¬_¬) pondering..."), to show as a passing
     * status; empty when it says nothing or no turn runs.
     */
    public String spinner() {
        return read(() -> spinner);
    }

    /**
     * Takes the title this client knew of the session from elsewhere (its presence record, a list row) when the
     * gateway gave none: a Hermes gateway's attach results carry no title. A title the gateway gave wins.
     */
    public void adoptTitleIfUntitled(String known) {
        String clean = org.agentchannels.core.DisplayText.title(known);
        boolean changed;
        synchronized (lock) {
            changed = title.isEmpty() && !clean.isEmpty();
            if (changed) {
                title = clean;
            }
        }
        if (changed) {
            fire(EnumSet.of(Change.TITLE));
        }
    }

    /** The last blocking prompt the gateway said was answered in this turn, and by whom; {@code null} when none. */
    public Resolution lastResolution() {
        return read(() -> lastResolution);
    }

    /** What the session's agent needs to be signed in, while it does; else {@code null}. */
    public SignIn signIn() {
        return read(() -> signIn);
    }

    /** Whether a turn runs (one that Stop would end), whatever else the session waits for. */
    public boolean isTurnRunning() {
        return read(() -> running || streaming);
    }

    public List<InputRequest> pendingInputs() {
        return read(() -> pendingInputs.all());
    }

    public List<OutgoingPrompt> outgoing() {
        return read(() -> outgoing.all());
    }

    /** Whether a prompt typed here is still to deliver (on its way, queued or held), without copying the outbox. */
    public boolean hasUndelivered() {
        return read(() -> outgoing.hasUndelivered());
    }

    public List<Participant> participants() {
        return read(() -> participants);
    }

    /** The last event number applied, -1 when the gateway does not number events. */
    public long lastSeq() {
        return read(() -> lastSeq);
    }

    /** The readable message of the last failed turn or {@code error} event, else empty. */
    public String lastError() {
        return read(() -> lastError);
    }
}
