package org.agentchannels.gateway.internal.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import org.agentchannels.core.OwnerOnlyFiles;
import org.agentchannels.core.protocol.PlanEntry;
import org.agentchannels.core.protocol.SlashCommand;
import org.agentchannels.core.protocol.ToolCall;
import org.agentchannels.core.protocol.TranscriptRow;
import org.sqlite.JDBC;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Sessions and their transcripts in SQLite (WAL, each unit of work one committed transaction: see
 * {@link #inTransaction}), so a gateway killed at any moment loses no message it had stored and leaves no
 * transition half done. A turn is marked open while it runs; whatever is still open at the next start was cut
 * off and is closed with an {@code interrupted} row. Prompts accepted into a session's queue are kept too, and
 * reported the same way if the gateway stops before they run; a closed session's queued prompts are dropped.
 */
public final class TranscriptStore implements AutoCloseable {

    /**
     * A stored session.
     *
     * @param cwd the absolute directory it works in; empty when the gateway named none (or stored it before
     *        directories were kept)
     * @param agentSessionId its agent's own id for it, to reopen it there; empty when there is none
     */
    public record StoredSession(String id, String title, double startedAt, double updatedAt, long messageCount,
            long lastSeq, String preview, String cwd, String agentSessionId) {
    }

    /** A prompt accepted while another turn ran. */
    public record PendingPrompt(String submissionId, String text, String senderDevice) {
    }

    private final Connection db;

    /** Runs on the store's connection as soon as it is open. */
    public interface ConnectionSetup {
        void run(Connection connection) throws SQLException;
    }

    public TranscriptStore(Path file) throws SQLException {
        this(file, connection -> {
        });
    }

    /**
     * @param setup runs on the connection once its tables exist, before the store uses it (a test installs its
     *        crash points there: a function and temporary triggers of that connection only)
     */
    public TranscriptStore(Path file, ConnectionSetup setup) throws SQLException {
        try {
            // SQLite gives its -wal and -shm files the database's mode, so an owner-only database makes all three so
            OwnerOnlyFiles.prepare(file);
            OwnerOnlyFiles.restrictIfPresent(Path.of(file + "-wal"));
            OwnerOnlyFiles.restrictIfPresent(Path.of(file + "-shm"));
        } catch (java.io.IOException e) {
            throw new SQLException("cannot prepare " + file + ": " + e.getMessage(), e);
        }
        // the driver directly, not DriverManager: inside OSGi its ServiceLoader registration is not visible
        db = new JDBC().connect(JDBC.PREFIX + file.toAbsolutePath(), new Properties());
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA busy_timeout=5000");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS sessions (
                      id TEXT PRIMARY KEY, title TEXT NOT NULL DEFAULT '', started_at REAL NOT NULL,
                      updated_at REAL NOT NULL, last_seq INTEGER NOT NULL DEFAULT 0,
                      turn_open INTEGER NOT NULL DEFAULT 0, closed INTEGER NOT NULL DEFAULT 0)""");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS messages (
                      session_id TEXT NOT NULL, ordinal INTEGER NOT NULL, role TEXT NOT NULL, text TEXT NOT NULL,
                      reasoning TEXT NOT NULL DEFAULT '', tool_name TEXT NOT NULL DEFAULT '',
                      sender_device TEXT, status TEXT NOT NULL DEFAULT '', submission_id TEXT,
                      created_at REAL NOT NULL, PRIMARY KEY (session_id, ordinal))""");
            // what reopens a session's agent; a database of an older gateway gets the columns now
            addColumnIfMissing(s, "sessions", "cwd", "TEXT NOT NULL DEFAULT ''");
            addColumnIfMissing(s, "sessions", "agent_session_id", "TEXT NOT NULL DEFAULT ''");
            s.execute("CREATE INDEX IF NOT EXISTS messages_submission ON messages(session_id, submission_id)");
            addColumnIfMissing(s, "sessions", "agent", "TEXT"); // the id of the agent a session runs; NULL: the default
            // a tool row's call id and detail, a plan's steps, the agent's commands; an older database gets them now
            addColumnIfMissing(s, "messages", "tool_id", "TEXT");
            addColumnIfMissing(s, "messages", "detail", "TEXT");
            addColumnIfMissing(s, "sessions", "commands", "TEXT");
            s.execute("CREATE INDEX IF NOT EXISTS messages_tool ON messages(session_id, tool_id)");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS pending_prompts (
                      session_id TEXT NOT NULL, position INTEGER NOT NULL, submission_id TEXT NOT NULL,
                      text TEXT NOT NULL, sender_device TEXT NOT NULL, PRIMARY KEY (session_id, position))""");
        }
        setup.run(db);
    }

    /** Adds a column a database made by an older gateway lacks (a new one gets it the same way). */
    private static void addColumnIfMissing(Statement s, String table, String column, String type) throws SQLException {
        try (ResultSet r = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (r.next()) {
                if (r.getString("name").equalsIgnoreCase(column)) {
                    return;
                }
            }
        }
        s.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type);
    }

    /** Work on the store that {@link #inTransaction} runs whole or not at all. */
    public interface Unit<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code unit} as one transaction: every statement of it is committed together, or (on a failure, or a
     * process killed before the commit) none. Inside another unit it simply joins that one.
     */
    public synchronized <T> T inTransaction(Unit<T> unit) throws SQLException {
        if (!db.getAutoCommit()) {
            return unit.run();
        }
        db.setAutoCommit(false);
        try {
            T result = unit.run();
            db.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
    }

    public synchronized void createSession(String id, String title, double now) throws SQLException {
        try (PreparedStatement p = db.prepareStatement(
                "INSERT INTO sessions(id, title, started_at, updated_at) VALUES (?, ?, ?, ?)")) {
            p.setString(1, id);
            p.setString(2, title);
            p.setDouble(3, now);
            p.setDouble(4, now);
            p.executeUpdate();
        }
    }

    /** Records which agent (by its id) the session runs, so that a resume after a restart runs the same. */
    public synchronized void setAgent(String id, String agent) throws SQLException {
        update("UPDATE sessions SET agent = ? WHERE id = ?", agent, id);
    }

    /** The id of the agent the session runs; empty for a session stored before agents had ids (the default's). */
    public synchronized String agentOf(String id) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT agent FROM sessions WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                String agent = r.next() ? r.getString(1) : null;
                return agent == null ? "" : agent;
            }
        }
    }

    public synchronized Optional<StoredSession> find(String id) throws SQLException {
        List<StoredSession> found = query("WHERE s.id = ?", id, 1);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** A session whose title is exactly {@code title} (Hermes resumes by title too), the newest if several. */
    public synchronized Optional<StoredSession> findByTitle(String title) throws SQLException {
        List<StoredSession> found = query("WHERE s.title = ? AND s.title != ''", title, 1);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Sessions newest first. */
    public synchronized List<StoredSession> list(int limit) throws SQLException {
        return query("", null, limit);
    }

    private List<StoredSession> query(String where, String arg, int limit) throws SQLException {
        String sql = "SELECT s.id, s.title, s.started_at, s.updated_at, s.last_seq, s.cwd, s.agent_session_id,"
                + " (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id),"
                + " (SELECT m.text FROM messages m WHERE m.session_id = s.id AND m.role = 'user' ORDER BY m.ordinal LIMIT 1)"
                + " FROM sessions s " + where + " ORDER BY s.updated_at DESC, s.id DESC LIMIT ?";
        try (PreparedStatement p = db.prepareStatement(sql)) {
            int i = 1;
            if (arg != null) {
                p.setString(i++, arg);
            }
            p.setInt(i, limit);
            List<StoredSession> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    String preview = r.getString(9);
                    out.add(new StoredSession(r.getString(1), r.getString(2), r.getDouble(3), r.getDouble(4), r.getLong(8),
                            r.getLong(5), preview == null ? "" : preview.length() > 120 ? preview.substring(0, 120) : preview,
                            r.getString(6), r.getString(7)));
                }
            }
            return out;
        }
    }

    public synchronized void setTitle(String id, String title) throws SQLException {
        update("UPDATE sessions SET title = ? WHERE id = ?", title, id);
    }

    /** @param cwd the absolute directory the session works in, empty for none */
    public synchronized void setCwd(String id, String cwd) throws SQLException {
        update("UPDATE sessions SET cwd = ? WHERE id = ?", cwd, id);
    }

    /** @param agentSessionId the agent's own id for the session, reopened with it after a restart */
    public synchronized void setAgentSessionId(String id, String agentSessionId) throws SQLException {
        update("UPDATE sessions SET agent_session_id = ? WHERE id = ?", agentSessionId, id);
    }

    public synchronized void append(String sessionId, TranscriptRow row, String submissionId, double now)
            throws SQLException {
        inTransaction(() -> {
            insert(sessionId, row, submissionId, now);
            update("UPDATE sessions SET updated_at = ? WHERE id = ?", now, sessionId);
            return null;
        });
    }

    private void insert(String sessionId, TranscriptRow row, String submissionId, double now) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO messages(session_id, ordinal, role, text, reasoning,"
                + " tool_name, sender_device, status, submission_id, created_at, tool_id, detail) VALUES (?,"
                + " (SELECT COALESCE(MAX(ordinal), 0) + 1 FROM messages WHERE session_id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, sessionId);
            p.setString(2, sessionId);
            p.setString(3, row.role());
            p.setString(4, row.text());
            p.setString(5, row.reasoning());
            p.setString(6, row.toolName());
            p.setString(7, row.senderDevice().isEmpty() ? null : row.senderDevice());
            p.setString(8, row.status());
            p.setString(9, submissionId == null || submissionId.isEmpty() ? null : submissionId);
            p.setDouble(10, now);
            p.setString(11, row.toolId().isEmpty() ? null : row.toolId());
            p.setString(12, detail(row));
            p.executeUpdate();
        }
    }

    /** What a row holds beyond its text, as JSON: a tool call's detail, a plan's steps; {@code null} for none. */
    private static String detail(TranscriptRow row) {
        if (row.tool() != null) {
            JsonObject o = new JsonObject();
            row.tool().writeTo(o);
            return o.toString();
        }
        if (TranscriptRow.PLAN.equals(row.role())) {
            JsonObject o = new JsonObject();
            o.add("entries", PlanEntry.toJson(row.plan()));
            return o.toString();
        }
        return null;
    }

    /** The row as stored: a tool row with its call, a plan with its steps (a detail that cannot be read is left out). */
    private static TranscriptRow row(String role, String text, String reasoning, String toolName, String sender,
            String status, String toolId, String detail) {
        JsonObject o = null;
        if (detail != null) {
            try {
                o = JsonParser.parseString(detail) instanceof JsonObject parsed ? parsed : null;
            } catch (JsonParseException e) {
                o = null;
            }
        }
        if (TranscriptRow.TOOL.equals(role) && toolId != null && o != null) {
            o.addProperty("tool_id", toolId);
            o.addProperty("status", status); // a call that says no more than its status is still one
            return TranscriptRow.tool(toolName, text, status, ToolCall.readFrom(o));
        }
        if (TranscriptRow.PLAN.equals(role)) {
            List<PlanEntry> entries = o == null ? List.of() : PlanEntry.listFrom(o);
            // a plan whose steps cannot be read still shows as the checklist text it was stored with
            return entries.isEmpty() ? new TranscriptRow(role, text, "", "", "", "") : TranscriptRow.plan(entries);
        }
        return new TranscriptRow(role, text, reasoning, toolName, sender, status);
    }

    /**
     * Replaces a tool row's state in place: the session's latest row with that call id (an agent may use an id
     * again in a later turn).
     */
    public synchronized void updateTool(String sessionId, TranscriptRow row) throws SQLException {
        update("UPDATE messages SET text = ?, tool_name = ?, status = ?, detail = ? WHERE session_id = ? AND ordinal ="
                + " (SELECT MAX(ordinal) FROM messages WHERE session_id = ? AND tool_id = ?)", row.text(), row.toolName(),
                row.status(), detail(row), sessionId, sessionId, row.toolId());
    }

    /** Replaces the session's latest plan row (the running turn's) in place. */
    public synchronized void updatePlan(String sessionId, TranscriptRow row) throws SQLException {
        update("UPDATE messages SET text = ?, detail = ? WHERE session_id = ? AND ordinal ="
                + " (SELECT MAX(ordinal) FROM messages WHERE session_id = ? AND role = ?)", row.text(), detail(row),
                sessionId, sessionId, TranscriptRow.PLAN);
    }

    /** Keeps the commands the session's agent offers, so that they are known again after a restart. */
    public synchronized void setCommands(String sessionId, List<SlashCommand> commands) throws SQLException {
        update("UPDATE sessions SET commands = ? WHERE id = ?", SlashCommand.toJson(commands).toString(), sessionId);
    }

    /** The commands the session's agent offered last; empty when it offered none (or they cannot be read). */
    public synchronized List<SlashCommand> commands(String sessionId) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT commands FROM sessions WHERE id = ?")) {
            p.setString(1, sessionId);
            try (ResultSet r = p.executeQuery()) {
                String json = r.next() ? r.getString(1) : null;
                if (json == null) {
                    return List.of();
                }
                JsonObject o = new JsonObject();
                o.add("commands", JsonParser.parseString(json));
                return SlashCommand.listFrom(o, "commands");
            } catch (JsonParseException e) {
                return List.of();
            }
        }
    }

    /** Appends many rows in one transaction (a seeded or imported transcript): all of them, or none. */
    public synchronized void appendAll(String sessionId, List<TranscriptRow> rows, double now) throws SQLException {
        inTransaction(() -> {
            for (TranscriptRow row : rows) {
                append(sessionId, row, null, now);
            }
            return null;
        });
    }

    public synchronized List<TranscriptRow> messages(String sessionId) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT role, text, reasoning, tool_name, sender_device, status,"
                + " tool_id, detail FROM messages WHERE session_id = ? ORDER BY ordinal")) {
            p.setString(1, sessionId);
            List<TranscriptRow> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    String sender = r.getString(5);
                    out.add(row(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                            sender == null ? "" : sender, r.getString(6), r.getString(7), r.getString(8)));
                }
            }
            return out;
        }
    }

    /** The submission ids of every prompt the session ran or queued, so a resend is known without the disk. */
    public synchronized Set<String> submissionIds(String sessionId) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT submission_id FROM messages WHERE session_id = ?"
                + " AND submission_id IS NOT NULL UNION SELECT submission_id FROM pending_prompts WHERE session_id = ?")) {
            p.setString(1, sessionId);
            p.setString(2, sessionId);
            Set<String> out = new HashSet<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        }
    }

    public synchronized void setTurnOpen(String sessionId, boolean open, long lastSeq) throws SQLException {
        update("UPDATE sessions SET turn_open = ?, last_seq = ? WHERE id = ?", open ? 1 : 0, lastSeq, sessionId);
    }

    public synchronized void addPending(String sessionId, PendingPrompt prompt) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO pending_prompts(session_id, position, submission_id,"
                + " text, sender_device) VALUES (?, (SELECT COALESCE(MAX(position), 0) + 1 FROM pending_prompts"
                + " WHERE session_id = ?), ?, ?, ?)")) {
            p.setString(1, sessionId);
            p.setString(2, sessionId);
            p.setString(3, prompt.submissionId());
            p.setString(4, prompt.text());
            p.setString(5, prompt.senderDevice());
            p.executeUpdate();
        }
    }

    public synchronized void removePending(String sessionId, String submissionId) throws SQLException {
        update("DELETE FROM pending_prompts WHERE session_id = ? AND submission_id = ?", sessionId, submissionId);
    }

    /** Drops every prompt still queued in a session (it was closed: they will not run, and are not reported). */
    public synchronized void removeAllPending(String sessionId) throws SQLException {
        update("DELETE FROM pending_prompts WHERE session_id = ?", sessionId);
    }

    /** The prompts still queued in a session, oldest first. */
    public synchronized List<PendingPrompt> pending(String sessionId) throws SQLException {
        try (PreparedStatement p = db.prepareStatement(
                "SELECT submission_id, text, sender_device FROM pending_prompts WHERE session_id = ? ORDER BY position")) {
            p.setString(1, sessionId);
            List<PendingPrompt> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new PendingPrompt(r.getString(1), r.getString(2), r.getString(3)));
                }
            }
            return out;
        }
    }

    /**
     * Closes what a stopped gateway left open: a turn cut off mid-way gets an {@code interrupted} assistant row,
     * and each prompt still queued gets its user row followed by an {@code interrupted} one, so the transcript
     * says what happened to each. One transaction: a start killed half way through repairs nothing, and the next
     * start (which finds nothing left open) adds nothing, so starting twice gives the same rows.
     *
     * @return how many sessions were repaired
     */
    public synchronized int closeInterruptedTurns(double now) throws SQLException {
        return inTransaction(() -> repair(now));
    }

    private int repair(double now) throws SQLException {
        List<String> open = new ArrayList<>();
        try (Statement s = db.createStatement();
                ResultSet r = s.executeQuery("SELECT id FROM sessions WHERE turn_open = 1"
                        + " UNION SELECT DISTINCT session_id FROM pending_prompts")) {
            while (r.next()) {
                open.add(r.getString(1));
            }
        }
        for (String id : open) {
            if (find(id).isPresent() && isTurnOpen(id)) {
                append(id, TranscriptRow.assistant("", "", "interrupted"), null, now);
            }
            for (PendingPrompt p : pending(id)) {
                append(id, TranscriptRow.user(p.text(), p.senderDevice()), p.submissionId(), now);
                append(id, TranscriptRow.assistant("", "", "interrupted"), null, now);
            }
            update("DELETE FROM pending_prompts WHERE session_id = ?", id);
            update("UPDATE sessions SET turn_open = 0 WHERE id = ?", id);
        }
        return open.size();
    }

    private boolean isTurnOpen(String id) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT turn_open FROM sessions WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                return r.next() && r.getInt(1) == 1;
            }
        }
    }

    private void update(String sql, Object... args) throws SQLException {
        try (PreparedStatement p = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            p.executeUpdate();
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            // closing anyway
        }
    }
}
