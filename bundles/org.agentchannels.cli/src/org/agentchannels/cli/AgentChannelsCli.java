package org.agentchannels.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.core.Backoff;
import org.agentchannels.core.GatewayEndpoints;
import org.agentchannels.core.presence.RemoteSession;
import org.agentchannels.core.presence.RemoteSessions;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.JsonRpcCodes;
import org.agentchannels.core.protocol.Methods;
import org.agentchannels.core.protocol.SessionSummary;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.core.session.SessionModel;
import org.agentchannels.presence.DefaultPresenceTracker;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * {@code ./agentchannels live | sessions | attach}: the client for people and scripts. Output goes to
 * {@code out}; every failure is one line on {@code err} and a non-zero exit status (see {@link Exit}).
 */
public final class AgentChannelsCli {

    /** Exit statuses, so scripts can tell failures apart. */
    public static final class Exit {
        public static final int OK = 0;
        public static final int FAILED = 1;
        public static final int USAGE = 64;
        public static final int UNREACHABLE = 69;
        public static final int UNAUTHORIZED = 77;
        public static final int NO_SUCH_SESSION = 66;
        public static final int BUSY = 75;

        private Exit() {
        }
    }

    static final String USAGE = """
            usage: agentchannels <command> [options]
              live [--json]                          sessions live on other devices
              sessions [--json]                      this device's gateway's sessions
              attach <session-id> [--send TEXT] [--json]
                                                     print the transcript, stream the running turn;
                                                     with --send, submit TEXT and wait for its turn
              new [--title TITLE] [--send TEXT] [--json]
                                                     create a session on this device's gateway
            options (each also an environment variable):
              --gateway URL        this device's gateway        AGENTCHANNELS_GATEWAY
              --presence-dir DIR   presence records folder      AGENTCHANNELS_PRESENCE_DIR
              --device-name NAME   this device's name           AGENTCHANNELS_DEVICE_NAME
              --token-file FILE    lines of '<endpoint> <token>' AGENTCHANNELS_TOKEN_FILE
              --timeout SECONDS    how long to wait for a gateway or a turn (default 120)
            --title TITLE        the title of a new session
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;

    public AgentChannelsCli(PrintStream out, PrintStream err, Clock clock) {
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    public static void main(String[] args) {
        System.exit(new AgentChannelsCli(System.out, System.err, Clock.systemUTC()).run(args, System.getenv()));
    }

    /** Runs one command; never throws, never exits the JVM. */
    public int run(String[] args, Map<String, String> env) {
        if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
            out.print(USAGE);
            return Exit.OK;
        }
        CliOptions options;
        try {
            options = CliOptions.parse(args, env);
        } catch (CliOptions.UsageException e) {
            err.println("agentchannels: " + e.getMessage());
            err.print(USAGE);
            return Exit.USAGE;
        }
        if (options.command().equals("help")) {
            out.print(USAGE);
            return Exit.OK;
        }
        InMemoryTokenStore tokens;
        try {
            tokens = options.tokenFile().isPresent() ? TokenFile.read(options.tokenFile().get()) : new InMemoryTokenStore();
        } catch (TokenFile.TokenFileException e) {
            err.println("agentchannels: " + e.getMessage());
            return Exit.USAGE;
        }
        try (StandaloneGatewayConnector connector = GatewayConnectors.standalone(tokens, options.deviceName().orElse(""),
                Backoff.standard())) {
            return switch (options.command()) {
                case "live" -> live(options, connector);
                case "sessions" -> sessions(options, connector);
                case "attach" -> attach(options, connector);
                case "new" -> create(options, connector);
                default -> {
                    err.println("agentchannels: unknown command '" + options.command() + "'");
                    err.print(USAGE);
                    yield Exit.USAGE;
                }
            };
        } catch (GatewayException e) {
            err.println("agentchannels: " + e.getMessage() + hint(e));
            return exitFor(e);
        } catch (TimeoutException e) {
            err.println("agentchannels: gave up waiting after " + options.timeoutSeconds() + " s");
            return Exit.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Exit.FAILED;
        }
    }

    // ------------------------------------------------------------------ live

    private int live(CliOptions options, StandaloneGatewayConnector connector)
            throws GatewayException, TimeoutException, InterruptedException {
        if (options.gateway().isEmpty() && options.presenceDir().isEmpty()) {
            err.println("agentchannels: live needs --gateway (this device's gateway) or --presence-dir");
            return Exit.USAGE;
        }
        if (options.gateway().isPresent()) {
            await(connector.connectLocal(options.gateway().get()), options);
        }
        try (DefaultPresenceTracker tracker = new DefaultPresenceTracker(connector, clock, DefaultPresenceTracker.POLL_INTERVAL)) {
            tracker.setPresenceDirectory(options.presenceDir());
            RemoteSessions sessions = await(tracker.refresh(), options);
            double now = clock.millis() / 1000.0;
            if (options.json()) {
                JsonArray array = new JsonArray();
                for (RemoteSession s : sessions.sessions()) {
                    JsonObject o = new JsonObject();
                    o.addProperty("session_id", s.sessionId());
                    o.addProperty("session_key", s.sessionKey());
                    o.addProperty("title", s.title());
                    o.addProperty("host", s.host());
                    o.addProperty("model", s.model());
                    o.addProperty("status", s.status());
                    o.addProperty("endpoint", s.endpoint());
                    o.addProperty("updated_at", epochSeconds(s.updatedAt()));
                    o.addProperty("age_seconds", Math.max(0, Math.round(now - s.updatedAt())));
                    array.add(o);
                }
                out.println(pretty(array));
                return Exit.OK;
            }
            if (sessions.isEmpty()) {
                out.println("No sessions are live on other devices.");
                return Exit.OK;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] { "SESSION", "TITLE", "HOST", "STATUS", "AGE", "ENDPOINT" });
            for (RemoteSession s : sessions.sessions()) {
                rows.add(new String[] { s.sessionId(), s.title().isEmpty() ? "(untitled)" : s.title(), s.host(),
                        statusWord(s.activity()), age(now - s.updatedAt()), s.endpoint() });
            }
            printTable(rows);
            return Exit.OK;
        }
    }

    // ------------------------------------------------------------------ sessions

    private int sessions(CliOptions options, StandaloneGatewayConnector connector)
            throws GatewayException, TimeoutException, InterruptedException {
        if (options.gateway().isEmpty()) {
            err.println("agentchannels: sessions needs --gateway (this device's gateway)");
            return Exit.USAGE;
        }
        GatewayConnection local = await(connector.connectLocal(options.gateway().get()), options);
        List<SessionSummary> live = SessionSummary.listFrom(await(local.request(Methods.SESSION_ACTIVE_LIST,
                new JsonObject()), options));
        List<SessionSummary> stored = SessionSummary.listFrom(await(local.request(Methods.SESSION_LIST,
                Methods.sessionList(200)), options));
        Map<String, SessionSummary> liveByKey = new HashMap<>();
        for (SessionSummary s : live) {
            liveByKey.put(s.sessionKey().isEmpty() ? s.id() : s.sessionKey(), s);
        }
        if (options.json()) {
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
            out.println(pretty(array));
            return Exit.OK;
        }
        if (stored.isEmpty()) {
            out.println("This device's gateway has no sessions.");
            return Exit.OK;
        }
        double now = clock.millis() / 1000.0;
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] { "ID", "TITLE", "MESSAGES", "STARTED", "LIVE" });
        for (SessionSummary s : stored) {
            SessionSummary l = liveByKey.get(s.id());
            rows.add(new String[] { s.id(), s.title().isEmpty() ? "(untitled)" : s.title(),
                    Long.toString(s.messageCount()), s.startedAt() > 0 ? age(now - s.startedAt()) + " ago" : "",
                    l == null ? "" : l.id() + " " + statusWord(org.agentchannels.core.presence.SessionActivity.fromStatus(l.status())) });
        }
        printTable(rows);
        return Exit.OK;
    }

    // ------------------------------------------------------------------ attach

    private int attach(CliOptions options, StandaloneGatewayConnector connector)
            throws GatewayException, TimeoutException, InterruptedException {
        if (options.arguments().size() != 1) {
            err.println("agentchannels: attach needs exactly one session id");
            return Exit.USAGE;
        }
        String sessionId = options.arguments().get(0);
        if (options.gateway().isPresent()) {
            await(connector.connectLocal(options.gateway().get()), options);
        }
        // a session live on another device is dialed at its endpoint; anything else is asked of this device's
        String endpoint = null;
        String sessionKey = "";
        if (options.presenceDir().isPresent() || options.gateway().isPresent()) {
            try (DefaultPresenceTracker tracker = new DefaultPresenceTracker(connector, clock,
                    DefaultPresenceTracker.POLL_INTERVAL)) {
                tracker.setPresenceDirectory(options.presenceDir());
                RemoteSessions remote = await(tracker.refresh(), options);
                Optional<RemoteSession> found = remote.find(sessionId);
                if (found.isPresent()) {
                    endpoint = found.get().endpoint();
                    sessionKey = found.get().sessionKey();
                }
            }
        }
        if (endpoint == null && options.gateway().isEmpty()) {
            err.println("agentchannels: session " + sessionId + " is not live on another device; give --gateway to look "
                    + "on this device's gateway");
            return Exit.NO_SUCH_SESSION;
        }
        // a stored id (YYYYmmdd_HHMMSS_xxxxxx) on this device is resumed by that id
        if (endpoint == null && sessionId.contains("_")) {
            sessionKey = sessionId;
        }
        AttachedSession session = await(connector.attach(endpoint, sessionId, sessionKey), options);
        return follow(options, session);
    }

    // ------------------------------------------------------------------ new

    private int create(CliOptions options, StandaloneGatewayConnector connector)
            throws GatewayException, TimeoutException, InterruptedException {
        if (options.gateway().isEmpty()) {
            err.println("agentchannels: new needs --gateway (this device's gateway)");
            return Exit.USAGE;
        }
        await(connector.connectLocal(options.gateway().get()), options);
        AttachedSession session = await(connector.createSession(null, options.title().orElse("")), options);
        if (!options.json()) {
            out.println("session " + session.sessionId() + " (" + session.sessionKey() + ")");
        }
        return follow(options, session);
    }

    /** Prints the transcript, streams the running turn, and with --send submits and waits for its turn. */
    private int follow(CliOptions options, AttachedSession session)
            throws GatewayException, TimeoutException, InterruptedException {
        SessionModel model = session.model();
        TurnPrinter printer = new TurnPrinter(model, options.json());
        model.addListener(printer);
        if (!options.json()) {
            for (TranscriptRow row : model.rows()) {
                printRow(row);
            }
            if (model.isStreaming()) {
                out.print("assistant: " + model.streamingText());
                out.flush();
            }
        }
        printer.startFrom(model.isStreaming() ? model.streamingText().length() : 0);
        int turns = printer.awaitTurns(options.send().isPresent());
        if (options.send().isPresent()) {
            try {
                await(session.submit(options.send().get()), options);
            } catch (GatewayException e) {
                err.println("agentchannels: the prompt was not sent: " + e.getMessage());
                return exitFor(e);
            }
        }
        if (turns > 0 && !printer.turnsEnded.await(options.timeoutSeconds(), TimeUnit.SECONDS)) {
            throw new TimeoutException();
        }
        if (options.json()) {
            JsonObject o = new JsonObject();
            o.addProperty("session_id", session.sessionId());
            o.addProperty("session_key", session.sessionKey());
            o.addProperty("endpoint", GatewayEndpoints.redact(session.endpoint()));
            o.addProperty("title", model.title());
            o.addProperty("status", statusWord(model.activity()));
            JsonArray messages = new JsonArray();
            for (TranscriptRow row : model.rows()) {
                messages.add(row.toJson());
            }
            o.add("messages", messages);
            out.println(pretty(o));
        }
        String error = model.lastError();
        return error.isEmpty() ? Exit.OK : Exit.FAILED;
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
            int count = (model.activity() == SessionActivity.WORKING ? 1 : 0) + (sending ? 1 : 0);
            turnsEnded = new CountDownLatch(count);
            return count;
        }

        @Override
        public synchronized void sessionChanged(SessionModel m, java.util.Set<SessionModel.Change> changes) {
            if (changes.contains(SessionModel.Change.STREAM) && model.isStreaming()) {
                String text = model.streamingText();
                if (!quiet && text.length() > printedChars) {
                    if (printedChars == 0) {
                        out.print("assistant: ");
                    }
                    out.print(text.substring(printedChars));
                    out.flush();
                }
                printedChars = text.length();
            }
            if (changes.contains(SessionModel.Change.ROWS) || changes.contains(SessionModel.Change.HYDRATED)) {
                List<TranscriptRow> rows = model.rows();
                for (int i = printedRows; i < rows.size(); i++) {
                    TranscriptRow row = rows.get(i);
                    if (!quiet) {
                        if (TranscriptRow.ASSISTANT.equals(row.role()) && printedChars > 0) {
                            out.println(); // the streamed text was this row
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

    private void printRow(TranscriptRow row) {
        switch (row.role()) {
            case TranscriptRow.USER -> out.println("user" + (row.senderDevice().isEmpty() ? "" : " (from " + row.senderDevice() + ")")
                    + ": " + row.text());
            case TranscriptRow.TOOL -> out.println("tool " + row.toolName() + ": " + row.text());
            case TranscriptRow.ASSISTANT -> out.println("assistant" + (row.status().isEmpty() || row.status().equals("complete")
                    ? "" : " (" + row.status() + ")") + ": " + row.text());
            default -> out.println(row.role() + ": " + row.text());
        }
    }

    // ------------------------------------------------------------------ helpers

    private static <T> T await(CompletableFuture<T> future, CliOptions options)
            throws GatewayException, TimeoutException, InterruptedException {
        try {
            return future.get(options.timeoutSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw GatewayException.of(e.getCause());
        }
    }

    static int exitFor(GatewayException e) {
        return switch (e.kind()) {
            case UNREACHABLE, CONNECTION_LOST, CLOSED, TIMEOUT -> Exit.UNREACHABLE;
            case UNAUTHORIZED, FORBIDDEN -> Exit.UNAUTHORIZED;
            case RPC_ERROR -> switch (e.code()) {
                case JsonRpcCodes.SESSION_NOT_FOUND, JsonRpcCodes.STORED_SESSION_NOT_FOUND -> Exit.NO_SUCH_SESSION;
                case JsonRpcCodes.SESSION_BUSY -> Exit.BUSY;
                default -> Exit.FAILED;
            };
        };
    }

    private static String hint(GatewayException e) {
        return switch (e.kind()) {
            case UNAUTHORIZED -> " (4401: pair again, or check the token in --token-file)";
            case RPC_ERROR -> switch (e.code()) {
                case JsonRpcCodes.SESSION_NOT_FOUND, JsonRpcCodes.STORED_SESSION_NOT_FOUND ->
                    " (" + e.code() + ": no such session on that gateway)";
                case JsonRpcCodes.SESSION_BUSY -> " (4009: a turn is running; try again when it ends)";
                default -> " (" + e.code() + ")";
            };
            default -> "";
        };
    }

    static String statusWord(SessionActivity activity) {
        return switch (activity) {
            case WORKING -> "working";
            case NEEDS_INPUT -> "needs input";
            case STARTING -> "starting";
            case IDLE -> "idle";
        };
    }

    static String age(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m";
        }
        if (s < 86_400) {
            return (s / 3600) + "h";
        }
        return (s / 86_400) + "d";
    }

    /** Epoch seconds as JSON writes them best: plain digits, at most milliseconds, no exponent. */
    static java.math.BigDecimal epochSeconds(double seconds) {
        java.math.BigDecimal b = java.math.BigDecimal.valueOf(seconds).setScale(3, java.math.RoundingMode.HALF_UP)
                .stripTrailingZeros();
        return b.scale() < 0 ? b.setScale(0) : b;
    }

    private void printTable(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String pretty(com.google.gson.JsonElement e) {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(e);
    }

    static Duration timeout(CliOptions options) {
        return Duration.ofSeconds(options.timeoutSeconds());
    }
}
