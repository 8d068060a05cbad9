package org.agentchannels.gateway.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.agentchannels.gateway.internal.RepeatedWarning;
import org.agentchannels.gateway.internal.RotatingLog;
import org.agentchannels.tests.support.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's log cannot be grown without bound: repeated warnings are counted, the file is rotated. */
class LogBoundsTest {

    @TempDir
    Path dir;

    /** A logger that keeps its lines. */
    private static final class Lines implements System.Logger {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(level + " " + msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + format);
        }

        @Override
        public void log(Level level, Supplier<String> msgSupplier) {
            lines.add(level + " " + msgSupplier.get());
        }
    }

    @Test
    void aWarningRepeatedTwoThousandTimesIsOneLinePlusOneCountPerInterval() {
        ManualClock clock = new ManualClock();
        Lines log = new Lines();
        RepeatedWarning refused = new RepeatedWarning(log, "refused a connection without a valid token", clock,
                Duration.ofMinutes(1));
        for (int i = 0; i < 2000; i++) {
            refused.occurred("from 127.0.0.1");
        }
        assertEquals(List.of("WARNING refused a connection without a valid token (from 127.0.0.1; repeats are counted"
                + " for 60 s)"), log.lines);
        clock.advance(Duration.ofSeconds(61));
        refused.occurred("from 192.0.2.9");
        assertEquals(2, log.lines.size());
        assertEquals("WARNING refused a connection without a valid token: 1999 more times within 60 s (the last from"
                + " 127.0.0.1); again from 192.0.2.9", log.lines.get(1));
        refused.occurred("from 192.0.2.9");
        refused.flush();
        assertEquals("WARNING refused a connection without a valid token: 1 more time within 60 s (the last from"
                + " 192.0.2.9)", log.lines.get(2));
        refused.flush();
        assertEquals(3, log.lines.size(), "nothing to count, nothing logged");
    }

    @Test
    void theLogIsRotatedBySizeKeepingAFewOwnerOnlyGenerations() throws IOException {
        Path file = dir.resolve("gateway.log");
        try (RotatingLog log = new RotatingLog(file, 1000, 3)) {
            for (int i = 0; i < 100; i++) {
                log.write(String.format("line %03d %s%n", i, "x".repeat(90)).getBytes(StandardCharsets.UTF_8));
            }
        }
        Path first = RotatingLog.generation(file, 1);
        Path second = RotatingLog.generation(file, 2);
        assertTrue(Files.size(file) <= 1000 && Files.size(first) <= 1000 && Files.size(second) <= 1000);
        assertFalse(Files.exists(RotatingLog.generation(file, 3)), "the oldest generation is dropped");
        assertTrue(Files.readString(file).contains("line 099"), "the newest lines are in the current file");
        assertTrue(Files.readString(first).contains("line 0"));
        Set<PosixFilePermission> ownerOnly = Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        for (Path p : List.of(file, first, second)) {
            assertEquals(ownerOnly, Files.getPosixFilePermissions(p), p.toString());
        }
        // appending on a restart: the same bound holds
        try (RotatingLog log = new RotatingLog(file, 1000, 3)) {
            log.write("after a restart\n".getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(Files.size(file) <= 1000);
    }

    @Test
    void aRotationThatCannotMoveTheFilesKeepsLoggingWithinTheBound() throws IOException {
        Path file = dir.resolve("gateway.log");
        // the older generation's name is taken by a directory with something in it: it can be neither deleted nor replaced
        Files.writeString(Files.createDirectories(RotatingLog.generation(file, 1)).resolve("keep"), "x");
        try (RotatingLog log = new RotatingLog(file, 1000, 2)) {
            for (int i = 0; i < 100; i++) {
                log.write(String.format("line %03d %s%n", i, "x".repeat(90)).getBytes(StandardCharsets.UTF_8));
            }
        }
        String kept = Files.readString(file);
        assertTrue(kept.contains("line 099"), "later lines still land: " + kept);
        assertTrue(kept.contains("could not be rotated (DirectoryNotEmptyException"), kept);
        assertTrue(Files.size(file) <= 1000, "and the log stays bounded");
        assertEquals("x", Files.readString(RotatingLog.generation(file, 1).resolve("keep")), "what was in the way is untouched");
    }

    @Test
    void aLinkPlantedAtTheLogsNameIsNotWrittenThrough() throws IOException {
        Path victim = Files.writeString(dir.resolve("victim"), "precious\n");
        Path file = dir.resolve("gateway.log");
        Files.createSymbolicLink(file, victim);
        assertThrows(IOException.class, () -> new RotatingLog(file, 1000, 3).close());
        assertEquals("precious\n", Files.readString(victim));
    }
}
