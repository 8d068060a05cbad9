package org.agentchannels.core.session;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.PlanEntry;
import org.agentchannels.core.protocol.ToolCall;
import org.agentchannels.core.protocol.TranscriptRow;

/**
 * The rows an agent updates in place: tool rows by their call id, and the running turn's plan row. Works on the
 * transcript of the {@link SessionModel} that owns it, under that model's lock; rows are only ever added or
 * replaced there (a hydration starts over), so an index found once stays right.
 */
final class AgentRows {

    private final List<TranscriptRow> rows;
    private final Map<String, Integer> tools = new HashMap<>();
    private int planRow = -1;

    AgentRows(List<TranscriptRow> rows) {
        this.rows = rows;
    }

    /**
     * The transcript was replaced: indexes the rows of the turn in flight (those after its prompt, the last user
     * row) again, its tool rows and its plan row; rows of ended turns are not updated any more, and a plan of an
     * earlier turn is not revised.
     *
     * @param running whether the snapshot's turn still runs
     */
    void reindex(boolean running) {
        tools.clear();
        planRow = -1;
        for (int i = rows.size() - 1; running && i >= 0; i--) {
            TranscriptRow row = rows.get(i);
            if (TranscriptRow.USER.equals(row.role()) || TranscriptRow.ASSISTANT.equals(row.role())) {
                break;
            }
            if (!row.toolId().isEmpty()) {
                tools.putIfAbsent(row.toolId(), i);
            }
            if (TranscriptRow.PLAN.equals(row.role()) && planRow < 0) {
                planRow = i;
            }
        }
    }

    /**
     * A turn starts or ends: its plan is done with, the next plan is a row of its own, and its tool rows are
     * final (agents may use a call id again in a later turn: that is a new row).
     */
    void turnBoundary() {
        planRow = -1;
        tools.clear();
    }

    /** A tool call starts, or (same id again, as a replay or a {@code tool.update}) changes. @return whether a row changed */
    boolean tool(String toolId, TranscriptRow row, StreamedTurn budget) {
        Integer at = toolId.isEmpty() ? null : tools.get(toolId);
        if (at == null) {
            if (!budget.admitRow(chars(row))) {
                return false; // over the turn's budget: the turn's row will say so
            }
            if (!toolId.isEmpty()) {
                tools.put(toolId, rows.size());
            }
            rows.add(row);
            return true;
        }
        TranscriptRow old = rows.get(at);
        long growth = chars(row) - chars(old);
        if (growth > 0 && !budget.admitRow(growth)) {
            // no room for what it adds: its status still changes, its detail stays as it was
            row = TranscriptRow.tool(row.toolName(), old.text(), row.status(), old.tool());
        }
        if (row.equals(old)) {
            return false;
        }
        rows.set(at, row);
        return true;
    }

    /** Hermes' {@code tool.complete}: the row of that id (ours too) has ended, if it did not say so already. */
    boolean toolComplete(GatewayEvent.ToolComplete complete) {
        Integer at = tools.get(complete.toolId());
        if (at == null) {
            return false;
        }
        TranscriptRow old = rows.get(at);
        if (ToolCall.isFinished(old.status())) {
            return false;
        }
        rows.set(at, TranscriptRow.tool(old.toolName(), old.text(), ToolCall.COMPLETED, old.tool()));
        return true;
    }

    /** The running turn's plan: replaces its plan row, or adds one. @return whether a row changed */
    boolean plan(List<PlanEntry> entries, StreamedTurn budget) {
        TranscriptRow row = TranscriptRow.plan(entries);
        if (planRow < 0) {
            if (!budget.admitRow(chars(row))) {
                return false;
            }
            planRow = rows.size();
            rows.add(row);
            return true;
        }
        TranscriptRow old = rows.get(planRow);
        long growth = chars(row) - chars(old);
        if (growth > 0 && !budget.admitRow(growth) || row.equals(old)) {
            return false;
        }
        rows.set(planRow, row);
        return true;
    }

    private static long chars(TranscriptRow row) {
        return row.toolName().length() + row.text().length() + (row.tool() == null ? 0 : row.tool().chars())
                + PlanEntry.chars(row.plan());
    }
}
