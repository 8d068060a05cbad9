package org.agentchannels.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.core.DaemonThreads;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.session.SessionModel;

/**
 * The agent's approvals asked at the terminal, one at a time: the options numbered, the typed number (or an
 * option's name) sent as the answer. Another device may answer first: then the question is withdrawn, saying who
 * answered, and the next one is asked. The terminal is read on a thread of its own, a line at a time; a line
 * typed while nothing is asked is ignored. Everything here runs under the {@link SessionFollower}'s lock, which
 * orders it with all else printed.
 */
final class TerminalQuestions {

    /** The answers of a Hermes approval that offers no choices of its own. */
    private static final List<String> APPROVAL_WORDS = List.of("once", "always", "deny");

    private final Object lock;
    private final AttachedSession session;
    private final PrintStream out;
    /** Reports a failure as the follower does: after the streamed line has ended. */
    private final java.util.function.Consumer<String> failures;
    private final Deque<InputRequest> waiting = new ArrayDeque<>();
    private InputRequest asking;
    private boolean stopped;

    TerminalQuestions(Object lock, AttachedSession session, PrintStream out, java.util.function.Consumer<String> failures) {
        this.lock = lock;
        this.session = session;
        this.out = out;
        this.failures = failures;
    }

    /** Starts reading what the person types. */
    void start(Reader input) {
        DaemonThreads.named("agentchannels-cli-terminal").newThread(() -> read(input)).start();
    }

    /** Nothing more is asked, and what is typed from now on is not taken. */
    void stop() {
        synchronized (lock) {
            stopped = true;
            waiting.clear();
            asking = null;
        }
    }

    /** An approval to ask: now, or after those asked before it. */
    void ask(InputRequest request) {
        synchronized (lock) {
            if (stopped) {
                return;
            }
            waiting.add(request);
            if (asking == null) {
                next();
            }
        }
    }

    /**
     * The requests that still wait: a question no longer among them was answered on another device (or withdrawn)
     * and is not asked any more.
     */
    void stillPending(List<InputRequest> pending, SessionModel.Resolution last) {
        synchronized (lock) {
            Set<String> keys = pending.stream().map(InputRequest::key).collect(Collectors.toSet());
            waiting.removeIf(r -> !keys.contains(r.key()));
            if (asking == null || keys.contains(asking.key())) {
                return;
            }
            out.println();
            if (last != null && last.request().key().equals(asking.key())) {
                out.println("(answered on " + TerminalText.line(last.answeredBy())
                        + (last.answer().isEmpty() ? "" : ": " + TerminalText.line(last.answer())) + ")");
            } else {
                out.println("(no longer asked: answered elsewhere or withdrawn)");
            }
            asking = null;
            next();
        }
    }

    // with the lock
    private void next() {
        asking = waiting.poll();
        if (asking == null) {
            out.flush();
            return;
        }
        out.println("approval: " + TerminalText.block(asking.prompt()));
        List<String> options = options(asking);
        for (int i = 0; i < options.size(); i++) {
            out.println("  " + (i + 1) + ". " + TerminalText.line(options.get(i)));
        }
        prompt(options);
    }

    private void prompt(List<String> options) {
        out.print("answer (1-" + options.size() + "): ");
        out.flush();
    }

    private static List<String> options(InputRequest request) {
        return request.choices().isEmpty() ? APPROVAL_WORDS : request.choices();
    }

    private void read(Reader input) {
        try (BufferedReader lines = new BufferedReader(input)) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!typed(line)) {
                    return;
                }
            }
        } catch (IOException e) {
            // the terminal is gone: the rest is left to other devices
        }
        synchronized (lock) {
            if (!stopped && asking != null) {
                out.println();
                out.println("(the terminal's input ended; waiting for an answer from another device)");
                out.flush();
            }
            stopped = true;
        }
    }

    /** @return whether to go on reading */
    private boolean typed(String line) {
        synchronized (lock) {
            if (stopped) {
                return false;
            }
            if (asking == null) {
                if (!line.isBlank()) {
                    out.println("(no question is waiting for an answer)");
                    out.flush();
                }
                return true; // the line is no answer
            }
            List<String> options = options(asking);
            String choice = choice(line.strip(), options);
            if (choice == null) {
                out.println("answer with a number from 1 to " + options.size());
                prompt(options);
                return true;
            }
            InputRequest request = asking;
            out.println("answered: " + TerminalText.line(choice));
            session.answer(request, choice).whenComplete((done, failure) -> {
                if (failure != null) {
                    failures.accept("the answer was not taken: " + failure.getMessage());
                }
            });
            asking = null;
            next();
            return true;
        }
    }

    /** The option a typed line names: by its number, or by its name as offered; {@code null} for neither. */
    private static String choice(String typed, List<String> options) {
        try {
            int n = Integer.parseInt(typed);
            return n >= 1 && n <= options.size() ? options.get(n - 1) : null;
        } catch (NumberFormatException e) {
            return options.stream().filter(o -> o.equalsIgnoreCase(typed)).findFirst().orElse(null);
        }
    }
}
