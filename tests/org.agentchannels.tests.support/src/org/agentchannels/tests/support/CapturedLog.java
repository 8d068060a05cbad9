package org.agentchannels.tests.support;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What is logged in this JVM while it is open ({@code System.Logger} writes through java.util.logging here): each
 * record as "logger: message", with its stack trace when it has one. Close it to stop capturing.
 */
public final class CapturedLog extends Handler implements AutoCloseable {

    private record Entry(Level level, String text) {
    }

    private final List<Entry> records = new CopyOnWriteArrayList<>();

    public CapturedLog() {
        setLevel(Level.ALL);
        Logger.getLogger("").addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        StringWriter text = new StringWriter().append(record.getLoggerName()).append(": ")
                .append(String.valueOf(record.getMessage())).append('\n');
        if (record.getThrown() != null) {
            record.getThrown().printStackTrace(new PrintWriter(text));
        }
        records.add(new Entry(record.getLevel(), text.toString()));
    }

    /** Everything captured so far, the records one after the other. */
    public String text() {
        return String.join("\n", records.stream().map(Entry::text).toList());
    }

    /** The records logged at {@code WARNING} so far that contain {@code part}, in order. */
    public List<String> warnings(String part) {
        return records.stream().filter(e -> e.level() == Level.WARNING && e.text().contains(part)).map(Entry::text)
                .toList();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
