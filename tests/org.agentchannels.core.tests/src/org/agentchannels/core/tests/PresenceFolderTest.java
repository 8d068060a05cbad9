package org.agentchannels.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.agentchannels.core.presence.PresenceRecord;
import org.agentchannels.core.presence.PresenceFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PresenceFolderTest {

    @TempDir
    Path folder;

    private static String record(String sessionId) {
        return "{\"version\":1,\"session_id\":\"" + sessionId + "\",\"session_key\":\"k-" + sessionId
                + "\",\"status\":\"idle\",\"endpoint\":\"ws://192.0.2.10:8664/api/ws\",\"host\":\"desk\","
                + "\"updated_at\":1781092800.0,\"expires_at\":1781092890.0}\n";
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(folder.resolve(name), text, StandardCharsets.UTF_8);
    }

    @Test
    void readsEveryRecordFile() throws IOException {
        write("desk-4242.aaaa1111.json", record("aaaa1111"));
        write("desk-4242.bbbb2222.json", record("bbbb2222"));
        PresenceFolder.Scan scan = new PresenceFolder(folder).scan();
        assertEquals(List.of("aaaa1111", "bbbb2222"),
                scan.records().stream().map(PresenceRecord::sessionId).sorted().toList());
        assertTrue(scan.problems().isEmpty(), scan.problems().toString());
    }

    @Test
    void skipsAndNamesBrokenFilesButKeepsTheRest() throws IOException {
        write("good.json", record("good0001"));
        write("truncated.json", record("trunc001").substring(0, 40));
        write("garbage.json", "\u0000\u0001not json at all");
        write("array.json", "[1, 2, 3]");
        write("two.json", record("twice001") + record("twice002"));
        write("deep.json", "[".repeat(10_000) + "]".repeat(10_000));
        write("huge.json", "{\"session_id\":\"" + "x".repeat((int) PresenceFolder.MAX_RECORD_BYTES) + "\"}");
        Files.write(folder.resolve("latin1.json"), new byte[] { '{', '"', 'a', '"', ':', '"', (byte) 0xE9, '"', '}' });
        PresenceFolder.Scan scan = new PresenceFolder(folder).scan();
        assertEquals(List.of("good0001"), scan.records().stream().map(PresenceRecord::sessionId).toList());
        assertEquals(List.of("array.json", "deep.json", "garbage.json", "huge.json", "latin1.json", "truncated.json",
                "two.json"),
                scan.problems().stream().map(p -> p.file().getFileName().toString()).sorted().toList());
        scan.problems().forEach(p -> assertTrue(!p.reason().isBlank(), p.toString()));
    }

    @Test
    void ignoresTemporaryFilesAndFolders() throws IOException {
        write("desk-1.aaaa1111.json.tmp", record("aaaa1111"));
        Files.createDirectory(folder.resolve("sub.json"));
        PresenceFolder.Scan scan = new PresenceFolder(folder).scan();
        assertTrue(scan.records().isEmpty());
        assertTrue(scan.problems().isEmpty());
    }

    @Test
    void aMissingFolderIsEmptyNotAnError() throws IOException {
        PresenceFolder.Scan scan = new PresenceFolder(folder.resolve("not-yet-synced")).scan();
        assertTrue(scan.records().isEmpty());
        assertTrue(scan.problems().isEmpty());
    }

    private static PresenceRecord live(String sessionId) {
        return new PresenceRecord(1, sessionId, "k-" + sessionId, "idle", "t", "m", "", "agentchannels", "gateway",
                "default", "ws://192.0.2.10:8664/api/ws", "desk", 4242, "desk-4242", 1781092800.0, 1781092890.0, 0);
    }

    @Test
    void liveRecordsAreNeverOnesFromTheFutureOrLivingBeyondTheTtlEvenWithTheExpiredOnes() throws IOException {
        double now = 1781092800.0;
        write("desk-4242.good0001.json", record("good0001"));
        write("evil-1.future01.json", "{\"session_id\":\"future01\",\"endpoint\":\"ws://192.0.2.66:8664/api/ws\","
                + "\"updated_at\":" + (now + 86_400) + "}");
        write("evil-1.forever1.json", "{\"session_id\":\"forever1\",\"endpoint\":\"ws://192.0.2.66:8664/api/ws\","
                + "\"updated_at\":" + now + ",\"expires_at\":" + (now + 86_400) + "}");
        write("evil-1.notime01.json", "{\"session_id\":\"notime01\",\"endpoint\":\"ws://192.0.2.66:8664/api/ws\"}");
        write("desk-4242.old00001.json", "{\"session_id\":\"old00001\",\"updated_at\":" + (now - 3600) + "}");
        PresenceFolder.Scan scan = new PresenceFolder(folder).scan();
        assertEquals(5, scan.records().size(), "the scan reads every file; what is believed is decided by the reader");
        assertEquals(List.of("good0001"), PresenceFolder.live(scan, now, false).stream().map(PresenceRecord::sessionId).toList());
        assertEquals(List.of("good0001", "old00001"),
                PresenceFolder.live(scan, now, true).stream().map(PresenceRecord::sessionId).toList());
    }

    @Test
    void writesARecordWholeOwnerOnlyUnderItsNameAndReadsItBack() throws IOException {
        PresenceFolder presence = new PresenceFolder(folder);
        presence.write("desk-4242", live("aaaa1111"));
        Path file = presence.fileOf("desk-4242", "aaaa1111");
        assertEquals("desk-4242.aaaa1111.json", file.getFileName().toString());
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        assertEquals(List.of(live("aaaa1111")), presence.scan().records());
        try (Stream<Path> left = Files.list(folder)) {
            assertEquals(List.of(file), left.toList(), "no temporary file is left behind");
        }
        presence.delete("desk-4242", "aaaa1111");
        assertTrue(presence.scan().records().isEmpty());
    }

    @Test
    void aLinkPlantedInTheFolderIsNeitherWrittenThroughNorFollowed() throws IOException {
        Path victim = Files.writeString(folder.resolveSibling(folder.getFileName() + "-victim.txt"), "precious");
        PresenceFolder presence = new PresenceFolder(folder);
        // at the record's own name: refused, the victim untouched
        Files.createSymbolicLink(presence.fileOf("desk-4242", "aaaa1111"), victim);
        assertThrows(IOException.class, () -> presence.write("desk-4242", live("aaaa1111")));
        // at the temporary names the old writer used: never used now
        Files.createSymbolicLink(folder.resolve(".desk-4242.bbbb2222.json.tmp"), victim);
        presence.write("desk-4242", live("bbbb2222"));
        assertEquals("precious", Files.readString(victim));
        // and a scan does not read through a link either
        Path record = Files.writeString(folder.resolveSibling(folder.getFileName() + "-record.json"),
                live("cccc3333").toJson().toString());
        Files.createSymbolicLink(folder.resolve("linked.json"), record);
        assertEquals(List.of("bbbb2222"), presence.scan().records().stream().map(PresenceRecord::sessionId).toList());
    }

    @Test
    void recordsOfTwoStoresAreMergedOneCopyPerGatewayAndSessionRivalClaimsKept() {
        double now = 1781092800.0;
        PresenceRecord inFolder = live("aaaa1111");
        PresenceRecord onBroker = new PresenceRecord(1, "aaaa1111", "k-aaaa1111", "working", "t", "m", "", "agentchannels",
                "gateway", "default", "ws://192.0.2.10:8664/api/ws", "desk", 4242, "desk-4242", now + 5, now + 95, 0);
        // another gateway claiming the same session: the derivation must still see both claims
        PresenceRecord rival = new PresenceRecord(1, "aaaa1111", "", "idle", "t", "m", "", "agentchannels", "gateway",
                "default", "ws://192.0.2.99:8664/api/ws", "evil", 1, "evil-1", now, now + 90, 0);
        List<PresenceRecord> merged = PresenceFolder.live(List.of(inFolder, onBroker, rival, inFolder), now, false);
        assertEquals(List.of(onBroker, rival), merged, "the freshest copy of the desk's record, and the rival's");
    }
}
