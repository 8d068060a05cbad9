package org.agentchannels.cli;

import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.agentchannels.cli.AgentChannelsCli.Exit;
import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.core.GatewayEndpoints;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.core.session.SessionModel;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * What {@code attach} and {@code new} do once attached: print the transcript, stream the running turn, and
 * with a prompt to send, submit it and wait for its turn; with {@code --json}, print the session at the end.
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

    /** @param approval the word every approval is answered with ({@link #approvalWord}), or empty to leave them */
    SessionFollower(ClientCommand command, AttachedSession session, Optional<String> approval) {
        this.command = command;
        this.session = session;
        this.out = command.context.out();
        this.approval = approval;
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
        TurnPrinter printer = new TurnPrinter(model, json);
        model.addListener(printer);
        if (!json) {
            for (TranscriptRow row : model.rows()) {
                printRow(row);
            }
            requests(model.pendingInputs());
            agentState(model);
            if (model.isStreaming()) {
                out.print("assistant: " + TerminalText.block(model.streamingText()));
                out.flush();
            }
        }
        printer.startFrom(model.isStreaming() ? model.streamingText().length() : 0);
        int turns = printer.awaitTurns(send.isPresent());
        if (send.isPresent()) {
            try {
                command.await(session.submit(send.get()));
            } catch (GatewayException e) {
                command.context.fail("the prompt was not sent: " + e.getMessage());
                return ClientCommand.exitFor(e);
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
            messages.add(row.toJson());
        }
        o.add("messages", messages);
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

        synchronized void startFrom(int chars) {
            printedChars = chars;
        }

        /**
         * The turns to wait for: the one running now, and the one of {@code --send} (queued behind it if need
         * be). Decided under the printer's lock, so a turn cannot end unseen between looking and counting.
         */
        synchronized int awaitTurns(boolean sending) {
            boolean running = model.isTurnRunning() && model.activity() != SessionActivity.NEEDS_INPUT;
            int count = (running ? 1 : 0) + (sending ? 1 : 0);
            turnsEnded = new CountDownLatch(count);
            return count;
        }

        @Override
        public synchronized void sessionChanged(SessionModel m, Set<SessionModel.Change> changes) {
            if (changes.contains(SessionModel.Change.STREAM) && model.isStreaming()) {
                String text = model.streamingText();
                if (!quiet && text.length() > printedChars) {
                    if (printedChars == 0) {
                        out.print("assistant: ");
                    }
                    out.print(TerminalText.block(text.substring(printedChars)));
                    out.flush();
                }
                printedChars = text.length();
            }
            if (changes.contains(SessionModel.Change.INPUT) && !quiet) {
                requests(model.pendingInputs());
            }
            if (changes.contains(SessionModel.Change.STATUS) && !quiet) {
                agentState(model);
            }
            if (changes.contains(SessionModel.Change.ROWS) || changes.contains(SessionModel.Change.HYDRATED)) {
                List<TranscriptRow> rows = model.rows();
                for (int i = printedRows; i < rows.size(); i++) {
                    TranscriptRow row = rows.get(i);
                    if (!quiet) {
                        if (TranscriptRow.ASSISTANT.equals(row.role()) && printedChars > 0) {
                            out.println(); // the streamed text was this row
                            if (row.truncated()) {
                                out.println(TRUNCATED);
                            }
                        } else {
                            printRow(row);
                        }
                    }
                    if (TranscriptRow.ASSISTANT.equals(row.role())) {
                        printedChars = 0;
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
                out.println("status: " + TerminalText.line(state));
                out.flush();
            }
        }
    }

    /**
     * Prints each request not printed yet: what the agent asks and the answers it offers; answers approvals
     * with {@code --approve}'s word, and says where the others can be answered.
     */
    private synchronized void requests(List<InputRequest> pending) {
        for (InputRequest request : pending) {
            if (!seenRequests.add(request.key())) {
                continue;
            }
            String offered = request.choices().isEmpty() ? "" : " [" + String.join(" / ", request.choices()) + "]";
            out.println(request.kind().wireName() + ": " + TerminalText.block(request.prompt()) + TerminalText.line(offered));
            if (request.kind() == InputRequest.Kind.APPROVAL && approval.isPresent()) {
                out.println("answered: " + approval.get());
                session.answer(request, approval.get()).whenComplete((done, failure) -> {
                    if (failure != null) {
                        command.context.fail("the answer was not taken: " + failure.getMessage());
                    }
                });
            } else {
                out.println("(waiting for an answer from another device"
                        + (request.kind() == InputRequest.Kind.APPROVAL ? "; --approve once|always|reject answers here)" : ")"));
            }
            out.flush();
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
