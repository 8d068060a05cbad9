package org.agentchannels.cli;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.agentchannels.cli.AgentChannelsCli.Exit;
import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.core.GatewayEndpoints;
import org.agentchannels.core.UnifiedDiff;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.PlanEntry;
import org.agentchannels.core.protocol.SlashCommand;
import org.agentchannels.core.protocol.ToolCall;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.core.session.SessionModel;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * What {@code attach} and {@code new} do once attached: print the transcript, stream the running turn, and
 * with a prompt to send, submit it and wait for its turn; with {@code --json}, print the session at the end.
 * Tool rows are printed as they start and again when their status changes (their diffs as unified diffs when
 * they change, their output when they end), plans when they change, the agent's commands when it offers them.
 * Approvals are answered with {@code --approve}'s word, asked at the terminal when there is one, or left to other
 * devices. Everything printed goes under this object's lock, so lines of the stream, of rows and of questions
 * never interleave.
 */
final class SessionFollower {

    /** Under a row the gateway sent more of than a client keeps of one turn. */
    static final String TRUNCATED = "[cut: the gateway sent more than " + SessionModel.MAX_TURN_CHARS / (1024 * 1024)
            + " Mi characters for this turn; the rest was not kept]";

    private final ClientCommand command;
    private final AttachedSession session;
    private final PrintStream out;
    private final Optional<String> approval;
    /** The requests already printed (and answered), by key: the model reports the pending ones at each change. */
    private final Set<String> seenRequests = new HashSet<>();
    /** The last agent state printed ("starting agent", a sign-in), so that each is said once. */
    private String printedState = "";
    /** Asks approvals at the terminal; {@code null} when they are not asked here. */
    private TerminalQuestions questions;
    /** What was printed of a tool row that may still change: its status, its diffs, and its output (at its end). */
    private record Shown(String status, List<ToolCall.Diff> diffs, String output) {
        static Shown of(TranscriptRow row) {
            return new Shown(row.status(), row.tool().diffs(),
                    ToolCall.isFinished(row.status()) ? row.tool().content() : "");
        }
    }

    /** What was printed of each row that may still change (a {@link Shown} tool row, a plan row), by its index. */
    private final Map<Integer, Object> printed = new HashMap<>();
    /** The indexes of the rows that may still change. */
    private final Set<Integer> changing = new TreeSet<>();
    private List<SlashCommand> printedCommands = List.of();
    /** Streamed text ends the line printed last: a row printed now starts a line of its own. */
    private boolean streamLineOpen;
    /** Whether a Hermes gateway's spinner is shown ({@link SessionModel#spinner()}): on a terminal only. */
    private final boolean showsSpinner;
    /** The spinner text on the terminal's last line now, to be erased before anything else is printed. */
    private String spinnerShown = "";
    /** ANSI: back to the line's start and erase it. */
    private static final String ERASE_LINE = "\r\u001b[2K";

    /** @param approval the word every approval is answered with ({@link #approvalWord}), or empty to leave them */
    SessionFollower(ClientCommand command, AttachedSession session, Optional<String> approval) {
        this.command = command;
        this.session = session;
        this.out = command.context.out();
        this.approval = approval;
        this.showsSpinner = !command.options.json() && command.context.terminal().isInteractive();
    }

    /**
     * The approval word a gateway takes for {@code --approve}'s answer: {@code once}, {@code always}, and
     * {@code deny} for {@code reject} (Hermes' words; our gateway gives an ACP agent its option of that kind).
     */
    static Optional<String> approvalWord(String answer) {
        return switch (answer.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "once" -> Optional.of("once");
            case "always" -> Optional.of("always");
            case "reject", "deny" -> Optional.of("deny");
            default -> Optional.empty();
        };
    }

    int follow(Optional<String> send) throws GatewayException, TimeoutException, InterruptedException {
        boolean json = command.options.json();
        SessionModel model = session.model();
        Terminal terminal = command.context.terminal();
        if (!json && approval.isEmpty() && terminal.isInteractive()) {
            questions = new TerminalQuestions(this, session, out, this::fail);
            questions.start(terminal.input());
        }
        try {
            return followTurns(send, json, model);
        } finally {
            if (questions != null) {
                questions.stop();
            }
            endStreamLine(); // whatever is printed next, an error most of all, starts a line of its own
        }
    }

    /** One failure on err, after the streamed line (and the spinner) on out has ended. */
    void fail(String message) {
        endStreamLine();
        command.context.fail(message);
    }

    private int followTurns(Optional<String> send, boolean json, SessionModel model)
            throws GatewayException, TimeoutException, InterruptedException {
        TurnPrinter printer = new TurnPrinter(model, json);
        model.addListener(printer);
        if (!json) {
            synchronized (this) {
                List<TranscriptRow> rows = model.rows();
                for (int i = 0; i < rows.size(); i++) {
                    printNew(i, rows.get(i));
                    if (TranscriptRow.ASSISTANT.equals(rows.get(i).role())) {
                        changing.clear(); // an ended turn's rows do not change
                        printed.clear();
                    }
                }
                commands(model.commands());
                requests(model.pendingInputs());
                agentState(model);
                // a turn streaming already: its text so far (with none yet, the first delta starts the line)
                if (model.isStreaming() && !model.streamingText().isEmpty()) {
                    out.print("assistant: " + TerminalText.block(model.streamingText()));
                    out.flush();
                    streamLineOpen = true;
                }
                spinner(model);
            }
        }
        printer.startFrom(model.isStreaming() ? model.streamingText().length() : 0);
        int turns = printer.awaitTurns(send.isPresent());
        if (send.isPresent()) {
            java.util.concurrent.CompletableFuture<String> submitted = session.submit(send.get());
            try {
                command.await(submitted);
            } catch (GatewayException e) {
                fail("the prompt was not sent: " + e.getMessage());
                return ClientCommand.exitFor(e);
            } catch (TimeoutException e) {
                // a gateway that does not queue was busy with another turn all along: the prompt is withdrawn,
                // if it still waits here (cancelling takes it out of the outbox at once); else it is on its way
                boolean held = model.outgoing().stream()
                        .anyMatch(p -> p.state() == org.agentchannels.core.session.OutgoingPrompt.State.HELD);
                submitted.cancel(false);
                boolean withdrawn = model.outgoing().stream().noneMatch(p -> p.text().equals(send.get())
                        && p.state() != org.agentchannels.core.session.OutgoingPrompt.State.FAILED);
                if (held && withdrawn) {
                    fail("the prompt was not sent: the session stayed busy with another turn for "
                            + command.options.timeoutSeconds() + " s");
                    return Exit.BUSY;
                }
                fail("gave up waiting after " + command.options.timeoutSeconds()
                        + " s; the prompt may have been sent: check the transcript before sending it again");
                return Exit.FAILED;
            }
        }
        if (turns > 0 && !printer.turnsEnded.await(command.options.timeoutSeconds(), TimeUnit.SECONDS)) {
            throw new TimeoutException();
        }
        if (json) {
            out.println(Formats.pretty(toJson(model)));
        }
        return model.lastError().isEmpty() ? Exit.OK : Exit.FAILED;
    }

    private JsonObject toJson(SessionModel model) {
        JsonObject o = new JsonObject();
        o.addProperty("session_id", session.sessionId());
        o.addProperty("session_key", session.sessionKey());
        o.addProperty("endpoint", GatewayEndpoints.redact(session.endpoint()));
        o.addProperty("title", model.title());
        o.addProperty("status", Formats.statusWord(model.activity()));
        Formats.putSignIn(o, model.signIn());
        JsonArray messages = new JsonArray();
        for (TranscriptRow row : model.rows()) {
            messages.add(row.toJson()); // tool rows with their call's detail, plans with their steps
        }
        o.add("messages", messages);
        o.add("commands", SlashCommand.toJson(model.commands()));
        return o;
    }

    /** Streams the turn as it comes: the deltas as text, then the finished rows. */
    private final class TurnPrinter implements SessionModel.Listener {
        private final SessionModel model;
        private final boolean quiet;
        private volatile CountDownLatch turnsEnded = new CountDownLatch(0);
        private int printedRows;
        private int printedChars;

        TurnPrinter(SessionModel model, boolean quiet) {
            this.model = model;
            this.quiet = quiet;
            this.printedRows = model.rowCount();
        }

        void startFrom(int chars) {
            synchronized (SessionFollower.this) {
                printedChars = chars;
            }
        }

        /**
         * The turns to wait for: the one running now, and the one of {@code --send} (queued behind it if need
         * be). Decided under the printer's lock, so a turn cannot end unseen between looking and counting.
         */
        int awaitTurns(boolean sending) {
            synchronized (SessionFollower.this) {
                boolean running = model.isTurnRunning() && model.activity() != SessionActivity.NEEDS_INPUT;
                int count = (running ? 1 : 0) + (sending ? 1 : 0);
                turnsEnded = new CountDownLatch(count);
                return count;
            }
        }

        @Override
        public void sessionChanged(SessionModel m, Set<SessionModel.Change> changes) {
            synchronized (SessionFollower.this) {
                changed(changes);
            }
        }

        private void changed(Set<SessionModel.Change> changes) {
            if (changes.contains(SessionModel.Change.STREAM) && model.isStreaming()) {
                String text = model.streamingText();
                if (!quiet && text.length() > printedChars) {
                    clearSpinner();
                    if (!streamLineOpen) {
                        out.print("assistant: ");
                    }
                    out.print(TerminalText.block(text.substring(printedChars)));
                    out.flush();
                    streamLineOpen = !text.endsWith("\n");
                }
                printedChars = text.length();
            }
            if (changes.contains(SessionModel.Change.INPUT) && !quiet) {
                requests(model.pendingInputs());
            }
            if (changes.contains(SessionModel.Change.STATUS) && !quiet) {
                agentState(model);
                spinner(model);
            }
            if (changes.contains(SessionModel.Change.COMMANDS) && !quiet) {
                commands(model.commands());
            }
            if (changes.contains(SessionModel.Change.ROWS) || changes.contains(SessionModel.Change.HYDRATED)) {
                List<TranscriptRow> rows = model.rows();
                if (!quiet) {
                    for (int i : List.copyOf(changing)) {
                        if (i < rows.size() && i < printedRows) {
                            printChange(i, rows.get(i));
                        }
                    }
                }
                for (int i = printedRows; i < rows.size(); i++) {
                    TranscriptRow row = rows.get(i);
                    if (!quiet) {
                        if (TranscriptRow.ASSISTANT.equals(row.role()) && printedChars > 0) {
                            endStreamLine(); // the streamed text was this row
                            if (row.truncated()) {
                                out.println(TRUNCATED);
                            }
                        } else {
                            printNew(i, row);
                        }
                    }
                    if (TranscriptRow.ASSISTANT.equals(row.role())) {
                        printedChars = 0;
                        streamLineOpen = false;
                        changing.clear(); // the turn ended: its rows do not change any more
                        printed.clear();
                        turnsEnded.countDown();
                    }
                }
                printedRows = rows.size();
            }
        }
    }

    /** Says when the session's agent starts, and when it needs signing in (on which device, and what to do). */
    private synchronized void agentState(SessionModel model) {
        SessionActivity activity = model.activity();
        String state = switch (activity) {
            case STARTING -> "starting agent";
            case NEEDS_SIGN_IN -> Formats.signIn(model.signIn());
            default -> "";
        };
        if (!state.equals(printedState)) {
            printedState = state;
            if (!state.isEmpty()) {
                endStreamLine();
                out.println("status: " + TerminalText.line(state));
                out.flush();
            }
        }
    }

    /**
     * Prints each request not printed yet: what the agent asks and the answers it offers; answers approvals
     * with {@code --approve}'s word, asks them at the terminal, or says where the others can be answered. Tells
     * the terminal's question which requests still wait: one answered elsewhere is not asked any more.
     */
    private synchronized void requests(List<InputRequest> pending) {
        if (questions != null) {
            questions.stillPending(pending, session.model().lastResolution());
        }
        for (InputRequest request : pending) {
            if (!seenRequests.add(request.key())) {
                continue;
            }
            endStreamLine();
            if (request.kind() == InputRequest.Kind.APPROVAL && questions != null) {
                questions.ask(request);
                continue;
            }
            String offered = request.choices().isEmpty() ? "" : " [" + String.join(" / ", request.choices()) + "]";
            out.println(request.kind().wireName() + ": " + TerminalText.block(request.prompt()) + TerminalText.line(offered));
            if (request.kind() == InputRequest.Kind.APPROVAL && approval.isPresent()) {
                out.println("answered: " + approval.get());
                session.answer(request, approval.get()).whenComplete((done, failure) -> {
                    if (failure != null) {
                        fail("the answer was not taken: " + failure.getMessage());
                    }
                });
            } else {
                out.println("(waiting for an answer from another device"
                        + (request.kind() == InputRequest.Kind.APPROVAL ? "; --approve once|always|reject answers here)" : ")"));
            }
            out.flush();
        }
    }

    /** The agent's commands, when they are new: typed as {@code /name} at the start of a prompt (--send). */
    private synchronized void commands(List<SlashCommand> offered) {
        if (offered.equals(printedCommands)) {
            return;
        }
        printedCommands = offered;
        if (offered.isEmpty()) {
            return;
        }
        endStreamLine();
        StringBuilder line = new StringBuilder();
        for (SlashCommand c : offered) {
            line.append(line.isEmpty() ? "" : ", ").append('/').append(c.name()).append(c.hint().isEmpty() ? "" : " <" + c.hint() + ">");
        }
        out.println("commands: " + TerminalText.line(line.toString()));
    }

    /**
     * A Hermes gateway's spinner, on a terminal: shown on a line of its own that the next one replaces, never
     * over streamed text or a question, and erased before anything else is printed. It is no part of the
     * transcript, so neither a pipe nor {@code --json} ever gets it.
     */
    private synchronized void spinner(SessionModel model) {
        if (!showsSpinner) {
            return;
        }
        String now = model.activity() == SessionActivity.NEEDS_INPUT ? "" : model.spinner();
        if (now.equals(spinnerShown) || streamLineOpen) {
            return;
        }
        if (now.isEmpty()) {
            clearSpinner();
            return;
        }
        out.print(ERASE_LINE + TerminalText.line(now));
        out.flush();
        spinnerShown = now;
    }

    private void clearSpinner() {
        if (!spinnerShown.isEmpty()) {
            out.print(ERASE_LINE);
            out.flush();
            spinnerShown = "";
        }
    }

    /** The line the streamed text is on ends (and the spinner goes), before anything else is printed. */
    synchronized void endStreamLine() {
        clearSpinner();
        if (streamLineOpen) {
            out.println();
            streamLineOpen = false;
        }
    }

    /** A row as it is added: in full, and remembered when it may still change. */
    private synchronized void printNew(int index, TranscriptRow row) {
        endStreamLine();
        if (row.tool() != null) {
            out.println(toolLine(row));
            Shown shown = Shown.of(row);
            printDiffs(row, null);
            printOutput(row, shown);
            if (!ToolCall.isFinished(row.status())) {
                changing.add(index);
            }
            printed.put(index, shown);
        } else if (TranscriptRow.PLAN.equals(row.role())) {
            printPlan(row);
            changing.add(index);
            printed.put(index, row);
        } else {
            printRow(row);
        }
    }

    /** A row changed in place: its status line again when its status changed, a changed diff, its output at its end. */
    private void printChange(int index, TranscriptRow row) {
        Object before = printed.get(index);
        if (row.tool() != null) {
            Shown was = before instanceof Shown s ? s : null;
            Shown now = Shown.of(row);
            if (now.equals(was)) {
                return;
            }
            endStreamLine();
            if (was == null || !was.status().equals(now.status())) {
                out.println(toolLine(row));
            }
            printDiffs(row, was);
            if (was == null || !was.output().equals(now.output())) {
                printOutput(row, now);
            }
            printed.put(index, now);
            if (ToolCall.isFinished(row.status())) {
                changing.remove(index);
            }
        } else if (TranscriptRow.PLAN.equals(row.role()) && !row.equals(before)) {
            endStreamLine();
            printPlan(row);
            printed.put(index, row);
        }
    }

    /** {@code tool TITLE [STATUS]: KIND: PLACES}. */
    private static String toolLine(TranscriptRow row) {
        String status = row.status().isEmpty() ? "" : " [" + row.status().replace('_', ' ') + "]";
        return TerminalText.line("tool " + row.toolName() + status) + ": " + TerminalText.line(row.text());
    }

    /** The most lines of one file's diff printed. */
    private static final int MAX_DIFF_LINES = 2000;

    /** A tool row's diffs as unified diffs, when they are not those printed before. */
    private void printDiffs(TranscriptRow row, Shown before) {
        List<ToolCall.Diff> diffs = row.tool().diffs();
        if (diffs.isEmpty() || before != null && before.diffs().equals(diffs)) {
            return;
        }
        for (ToolCall.Diff d : diffs) {
            out.println("  " + TerminalText.line("--- " + (d.oldText().isEmpty() ? "/dev/null" : d.path())));
            out.println("  " + TerminalText.line("+++ " + d.path()));
            UnifiedDiff.Result diff = UnifiedDiff.of(d.oldText(), d.newText(), MAX_DIFF_LINES);
            for (UnifiedDiff.Line line : diff.lines()) {
                out.println("  " + TerminalText.line(line.marked()));
            }
            if (diff.omitted() > 0) {
                out.println("  [" + diff.omitted() + " more lines of this diff not shown]");
            }
        }
        if (row.tool().truncated()) {
            out.println("  [cut: the agent said more of this call than a gateway keeps]");
        }
    }

    /** A tool row's output (its text content) once it has ended, indented under it. */
    private void printOutput(TranscriptRow row, Shown shown) {
        if (shown.output().isEmpty()) {
            return;
        }
        for (String line : shown.output().split("\r?\n", -1)) {
            out.println("  " + TerminalText.line(line));
        }
        if (row.tool().truncated() && row.tool().diffs().isEmpty()) {
            out.println("  [cut: the agent said more of this call than a gateway keeps]");
        }
    }

    /** {@code plan:} and its steps as a checklist: done {@code [x]}, under way {@code [~]}, to do {@code [ ]}. */
    private void printPlan(TranscriptRow row) {
        out.println("plan:");
        for (PlanEntry e : row.plan()) {
            String box = e.isCompleted() ? "[x] " : ToolCall.IN_PROGRESS.equals(e.status()) ? "[~] " : "[ ] ";
            out.println("  " + box + TerminalText.line(e.content()));
        }
    }

    /** One row: its header on one line, its text with its own line breaks; both escaped as {@link TerminalText} does. */
    private void printRow(TranscriptRow row) {
        String header = switch (row.role()) {
            case TranscriptRow.USER -> "user" + (row.senderDevice().isEmpty() ? "" : " (from " + row.senderDevice() + ")");
            case TranscriptRow.TOOL -> "tool " + row.toolName();
            case TranscriptRow.ASSISTANT -> "assistant" + (row.status().isEmpty() || row.status().equals("complete")
                    ? "" : " (" + row.status() + ")");
            default -> row.role();
        };
        out.println(TerminalText.line(header) + ": " + TerminalText.block(row.text()));
        if (row.role().equals(TranscriptRow.ASSISTANT) && row.truncated()) {
            out.println(TRUNCATED);
        }
    }
}
