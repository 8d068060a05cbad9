package org.agentchannels.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.agentchannels.cli.AgentChannelsCli.Exit;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.tests.support.FakeSessionHost;
import org.agentchannels.tests.support.ScriptedGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * Text from a hostile gateway or presence record printed by the commands: no escape sequence, carriage return or
 * bidi override reaches the terminal; what was there is shown as an escape, transcript lines stay lines.
 */
class TerminalEscapesTest {

    /** An OSC setting the window title, a CSI clearing the screen, CR/LF, NUL, a C1 CSI and a right-to-left override. */
    private static final String HOSTILE = "\u001b]0;owned\u0007\u001b[2J\r\nreal\u0000 title\u009b31m \u202Etxt.exe";

    @TempDir
    Path dir;

    @RegisterExtension
    final CliRun cli = new CliRun();

    private ScriptedGateway gateway(String name) {
        ScriptedGateway gw = new ScriptedGateway().deviceName(name);
        cli.track(gw);
        return gw;
    }

    /** Nothing a terminal acts on: no C0 or C1 control but the line breaks and tabs of text, no format character. */
    private static void assertHarmless(String printed) {
        for (int i = 0; i < printed.length(); i++) {
            char c = printed.charAt(i);
            boolean allowed = c == '\n' || c == '\t';
            assertTrue(allowed || Character.getType(c) != Character.CONTROL && Character.getType(c) != Character.FORMAT,
                    "U+" + Integer.toHexString(c) + " at " + i + " of " + printed.replace("\u001b", "<ESC>"));
        }
    }

    @Test
    void sessionsPrintsAHostileTitleWithoutItsEscapes() throws Exception {
        JsonObject stored = new JsonObject();
        stored.addProperty("id", "20261124_100000_aaaaaa");
        stored.addProperty("title", HOSTILE);
        stored.addProperty("message_count", 1);
        JsonObject live = new JsonObject();
        live.addProperty("id", "live\u001b[8m0001");
        live.addProperty("session_key", "20261124_100000_aaaaaa");
        live.addProperty("status", "working");
        ScriptedGateway local = gateway("laptop")
                .handle("session.list", (p, r) -> list(stored))
                .handle("session.active_list", (p, r) -> list(live)).start();
        assertEquals(Exit.OK, cli.run("sessions", "--gateway", local.endpoint()), cli.err());
        assertHarmless(cli.out());
        assertTrue(cli.out().contains("real title"), cli.out());
        assertTrue(cli.out().contains("live\\u001B[8m0001 working"), "an id is printed with its escape shown: " + cli.out());
    }

    private static JsonObject list(JsonObject row) {
        JsonArray sessions = new JsonArray();
        sessions.add(row);
        JsonObject result = new JsonObject();
        result.add("sessions", sessions);
        return result;
    }

    @Test
    void livePrintsAHostileRecordWithoutItsEscapes() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("presence"));
        double now = System.currentTimeMillis() / 1000.0;
        JsonObject record = new JsonObject();
        record.addProperty("version", 1);
        record.addProperty("session_id", "a0b0\u001b[2Jc000");
        record.addProperty("title", HOSTILE);
        record.addProperty("host", "desk\u202Etop\u001b]2;x\u0007");
        record.addProperty("status", "working");
        record.addProperty("endpoint", "ws://192.0.2.10:8664/api/ws");
        record.addProperty("updated_at", now);
        record.addProperty("expires_at", now + 60);
        Files.writeString(folder.resolve("desk-1.a0b0c000.json"), record.toString());
        assertEquals(Exit.OK, cli.run("live", "--presence-dir", folder.toString()), cli.err());
        assertHarmless(cli.out());
        assertTrue(cli.out().contains("real title") && cli.out().contains("desktop]2;x"), cli.out());
        assertTrue(cli.out().contains("a0b0\\u001B[2Jc000"), cli.out());
    }

    @Test
    void attachShowsControlCharactersOfTheTranscriptVisiblyAndKeepsItsLines() throws Exception {
        ScriptedGateway remote = gateway("desktop");
        FakeSessionHost host = new FakeSessionHost(remote, true);
        remote.start();
        host.add("s0000001", "20261124_120000_abcdef").rows.addAll(List.of(
                TranscriptRow.user("\u001b[2Jclear\nsecond line\tcolumn", "pho\u202Ene"),
                TranscriptRow.assistant("\u001b]0;owned\u0007done\r\nnext\rover\u009b", "", "complete")));
        ScriptedGateway.Handler submit = remote.handler("prompt.submit");
        remote.handle("prompt.submit", (peer, request) -> {
            var result = submit.handle(peer, request);
            new Thread(() -> {
                host.delta("s0000001", "streamed \u001b[31mred");
                host.delta("s0000001", "\u001b[0m end");
                host.complete("s0000001", "", "complete");
            }).start();
            return result;
        });
        int status = cli.run("attach", "s0000001", "--gateway", remote.endpoint(), "--send", "go");
        assertEquals(Exit.OK, status, cli.err());
        String printed = cli.out();
        assertHarmless(printed);
        assertTrue(printed.contains("user (from phone): \\u001B[2Jclear\nsecond line\tcolumn"), printed);
        assertTrue(printed.contains("assistant: \\u001B]0;owned\\u0007done\nnext\\rover\\u009B"), printed);
        assertTrue(printed.contains("assistant: streamed \\u001B[31mred\\u001B[0m end"), printed);
    }

    @Test
    void aGatewaysErrorMessageIsPrintedWithoutItsEscapes() throws Exception {
        ScriptedGateway local = gateway("laptop").handle("session.list", (p, r) -> {
            throw new ScriptedGateway.RpcError(5000, "no\u001b[2J\u001b]0;owned\u0007\nsecond line");
        }).start();
        assertEquals(Exit.FAILED, cli.run("sessions", "--gateway", local.endpoint()));
        assertHarmless(cli.err());
        assertEquals(1, cli.err().strip().lines().count(), cli.err());
        assertTrue(cli.err().contains("no\\u001B[2J\\u001B]0;owned\\u0007\\nsecond line"), cli.err());
    }
}
