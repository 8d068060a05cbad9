package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.agentchannels.tests.support.ConnectorExtension.awaitIdle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.core.protocol.Json;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.GatewayOptions;
import org.agentchannels.gateway.internal.acp.AcpChannel;
import org.agentchannels.gateway.internal.acp.AcpFiles;
import org.agentchannels.tests.gateway.GatewayExtension;
import org.agentchannels.tests.gateway.TestGateway;
import org.agentchannels.tests.support.CapturedLog;
import org.agentchannels.tests.support.ScriptedAcpAgents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * {@code --acp-fs}: a gateway that offers ACP agents {@code fs} reads and writes their session's files for them,
 * within the session's working directory and nowhere else; without it the capability is not offered and every
 * {@code fs/*} request is refused. Through a real gateway started from its options, with the scripted agent (a
 * real process) asking for files as a turn and reporting the gateway's answers as its own.
 */
@SuppressWarnings("resource") // the fixture closes what it opens
class AcpFilesTest {

    @TempDir
    Path home;

    @TempDir
    Path scripts;

    /** Files of this machine's user outside every session's directory. */
    @TempDir
    Path outside;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    /** The session's working directory (the gateway's one workspace), as its real path. */
    private Path cwd;
    private AttachedSession session;

    /** A gateway whose one agent is the scripted "fs" agent, started from its options plus {@code extra}. */
    private void start(String... extra) throws Exception {
        cwd = Files.createDirectories(home.resolve("workspace")).toRealPath();
        outside = outside.toRealPath();
        TestGateway fixture = gateways.in(home.resolve("gateway"));
        List<String> args = new ArrayList<>(List.of("--agent", "acp", "--acp-command",
                ScriptedAcpAgents.launchLine("fs", scripts), "--workspace", cwd.toString()));
        args.addAll(List.of(extra));
        fixture.start(null, args.toArray(String[]::new));
        session = await(fixture.client("laptop").createSession(fixture.gateway.localEndpoint(), ""));
    }

    /** One prompt to the agent; its answer, once the turn is over. */
    private String ask(String prompt) throws Exception {
        int before = session.model().rows().size();
        await(session.submit(prompt));
        awaitIdle(session, before + 2);
        TranscriptRow answer = session.model().rows().get(before + 1);
        assertEquals("complete", answer.status(), answer.toString());
        return answer.text();
    }

    /** The gateway's whole answer to one request of the agent's. */
    private JsonObject request(String method, JsonObject params) throws Exception {
        return JsonParser.parseString(ask(method + " " + params)).getAsJsonObject();
    }

    private JsonObject read(Path file, Integer line, Integer limit) throws Exception {
        JsonObject params = new JsonObject();
        params.addProperty("path", file.toString());
        if (line != null) {
            params.addProperty("line", line);
        }
        if (limit != null) {
            params.addProperty("limit", limit);
        }
        return request(AcpFiles.READ, params);
    }

    private JsonObject write(String path, String content) throws Exception {
        JsonObject params = new JsonObject();
        params.addProperty("path", path);
        params.addProperty("content", content);
        return request(AcpFiles.WRITE, params);
    }

    private static String content(JsonObject answer) {
        assertTrue(answer.has("result") && !answer.has("error"), answer.toString());
        return Json.text(Json.object(answer, "result"), "content");
    }

    /** The error an answer carries: its code, and a message that says what is wrong. */
    private static String refusal(JsonObject answer, int code, String says) {
        assertFalse(answer.has("result"), answer.toString());
        JsonObject error = Json.object(answer, "error");
        assertEquals(code, Json.number(error, "code", 0), answer.toString());
        String message = Json.text(error, "message");
        assertTrue(message.contains(says), "'" + says + "' in: " + message);
        return message;
    }

    @Test
    void withoutTheOptionFsIsNotOfferedAndItsRequestsAreRefused() throws Exception {
        start();
        assertEquals("readTextFile=false writeTextFile=false terminal=false", ask("capabilities"));
        Files.writeString(cwd.resolve("notes.txt"), "one\n");
        Map<String, String> disk = snapshot(cwd, outside);
        try (CapturedLog log = new CapturedLog()) {
            refusal(read(cwd.resolve("notes.txt"), null, null), -32601, "method not found: fs/read_text_file");
            refusal(write(cwd.resolve("new.txt").toString(), "x"), -32601, "method not found: fs/write_text_file");
            assertEquals(1, log.warnings("refused the agent's fs/read_text_file").size(), log.text());
            assertEquals(1, log.warnings("refused the agent's fs/write_text_file").size(), log.text());
        }
        assertEquals(disk, snapshot(cwd, outside), "nothing read is served, nothing written");
    }

    @Test
    void withTheOptionTheAgentReadsAndWritesFilesOfItsWorkingDirectory() throws Exception {
        start("--acp-fs");
        assertEquals("readTextFile=true writeTextFile=true terminal=false", ask("capabilities"));
        Path notes = Files.writeString(cwd.resolve("notes.txt"), "one\ntwo\nthree\nfour\n");

        assertEquals("one\ntwo\nthree\nfour\n", content(read(notes, null, null)));
        assertEquals("two\nthree\n", content(read(notes, 2, 2)), "line is 1-based, limit counts lines");
        assertEquals("four\n", content(read(notes, 4, 10)));
        assertEquals("one\n", content(read(notes, null, 1)));
        assertEquals("", content(read(notes, 9, null)), "past the end: nothing");
        Files.createSymbolicLink(cwd.resolve("to-notes.txt"), notes);
        assertEquals("one\ntwo\nthree\nfour\n", content(read(cwd.resolve("to-notes.txt"), null, null)),
                "a link that stays inside is followed");
        Files.createDirectories(cwd.resolve("src"));
        Path nested = Files.writeString(cwd.resolve("src/Main.java"), "class Main {}\n");
        assertEquals("class Main {}\n", content(read(Path.of(cwd + "/./src//Main.java"), null, null)));

        // a new file: created, its owner's alone, nothing else left beside it
        assertEquals(new JsonObject(), Json.object(write(cwd.resolve("new.txt").toString(), "hello\nworld\n"), "result"));
        Path created = cwd.resolve("new.txt");
        assertEquals("hello\nworld\n", Files.readString(created));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(created)));
        assertEquals(List.of("new.txt", "notes.txt", "src", "to-notes.txt"), names(cwd), "no temporary file left");

        // an existing file: replaced whole by a new file renamed over it (a hard link to the old one keeps it), its
        // permissions kept
        Path shared = Files.writeString(cwd.resolve("shared.txt"), "old\n");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r--r--"));
        Path hardLink = Files.createLink(cwd.resolve("old-shared.txt"), shared);
        Object inode = fileKey(shared);
        assertTrue(write(shared.toString(), "new\n").has("result"));
        assertEquals("new\n", Files.readString(shared));
        assertNotEquals(inode, fileKey(shared), "a new file took the name: never written in place");
        assertEquals("old\n", Files.readString(hardLink));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)));

        // through a link inside: the file it names is written, the link stays a link
        assertTrue(write(cwd.resolve("to-notes.txt").toString(), "rewritten\n").has("result"));
        assertTrue(Files.isSymbolicLink(cwd.resolve("to-notes.txt")));
        assertEquals("rewritten\n", Files.readString(notes));
        assertTrue(write(nested.toString(), "").has("result"));
        assertEquals("", Files.readString(nested), "an empty text empties the file");
        assertEquals(List.of("new.txt", "notes.txt", "old-shared.txt", "shared.txt", "src", "to-notes.txt"), names(cwd));
    }

    /**
     * Every way out of the working directory, and every file that is not a text file the gateway may hand over,
     * is refused with an error that names the path and what is wrong, logged once, and leaves the disk as it was
     * inside the directory and outside it.
     */
    @Test
    void hostilePathsAreRefusedAndChangeNothingOnDisk() throws Exception {
        start("--acp-fs");
        Files.writeString(cwd.resolve("notes.txt"), "one\n");
        Path secret = Files.writeString(outside.resolve("secret.txt"), "secret\n");
        Files.createDirectories(cwd.resolve("sub"));
        Files.createSymbolicLink(cwd.resolve("out-link.txt"), secret);
        Files.createSymbolicLink(cwd.resolve("out-dir"), outside);
        Files.createSymbolicLink(cwd.resolve("dangling.txt"), outside.resolve("nothing.txt"));
        Path big = cwd.resolve("big.txt");
        Files.write(big, new byte[AcpFiles.MAX_FILE_BYTES + 1]);
        Path full = cwd.resolve("full.txt");
        Files.writeString(full, "a".repeat(AcpFiles.MAX_FILE_BYTES), StandardCharsets.US_ASCII);
        Path pipe = cwd.resolve("pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start();
        assertTrue(mkfifo.waitFor(20, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
        Map<String, String> disk = snapshot(cwd, outside);
        String escape = cwd + "/../" + outside.getFileName() + "/";

        List<String> messages = new ArrayList<>();
        try (CapturedLog log = new CapturedLog()) {
            messages.add(refusal(read(secret, null, null), -32602, secret + " is outside the session's working directory"));
            messages.add(refusal(read(Path.of(escape + "secret.txt"), null, null), -32602, "has '..' in it"));
            messages.add(refusal(read(Path.of(cwd + "/sub/../notes.txt"), null, null), -32602, "has '..' in it"));
            messages.add(refusal(read(cwd.resolve("out-link.txt"), null, null), -32602, "out-link.txt leads outside"));
            messages.add(refusal(read(cwd.resolve("out-dir/secret.txt"), null, null), -32602, "through a link"));
            messages.add(refusal(read(cwd.resolve("sub"), null, null), -32602, "sub is not a regular file (it is a directory)"));
            messages.add(refusal(read(cwd, null, null), -32602, "is the session's working directory, not a file"));
            messages.add(refusal(read(pipe, null, null), -32602, "pipe is not a regular file"));
            messages.add(refusal(read(big, null, null), -32602, "big.txt is " + (AcpFiles.MAX_FILE_BYTES + 1)
                    + " bytes, over the 8 MiB"));
            messages.add(refusal(read(full, null, null), -32602, "full.txt is over 8 MiB once written as JSON"));
            messages.add(refusal(read(cwd.resolve("missing.txt"), null, null), -32002, "missing.txt does not exist"));
            messages.add(refusal(read(Path.of("notes.txt"), null, null), -32602, "path notes.txt is not absolute"));
            messages.add(refusal(read(cwd.resolve("notes.txt"), 0, null), -32602, "line must be a whole number of at least 1"));
            JsonObject otherSession = new JsonObject();
            otherSession.addProperty("sessionId", "someone-else");
            otherSession.addProperty("path", cwd.resolve("notes.txt").toString());
            messages.add(refusal(request(AcpFiles.READ, otherSession), -32602, "'someone-else' is not this agent's session"));
            assertEquals(14, log.warnings("refused the agent's fs/read_text_file").size(), log.text());

            messages.add(refusal(write(outside.resolve("new.txt").toString(), "x"), -32602, "is outside"));
            messages.add(refusal(write(secret.toString(), "x"), -32602, "is outside"));
            messages.add(refusal(write(escape + "new.txt", "x"), -32602, "has '..' in it"));
            messages.add(refusal(write(cwd.resolve("out-link.txt").toString(), "x"), -32602, "out-link.txt leads outside"));
            messages.add(refusal(write(cwd.resolve("out-dir/new.txt").toString(), "x"), -32602, "out-dir/new.txt leads outside"));
            messages.add(refusal(write(cwd.resolve("dangling.txt").toString(), "x"), -32602, "is a link to nothing"));
            messages.add(refusal(write(cwd.resolve("sub").toString(), "x"), -32602, "sub is not a regular file"));
            messages.add(refusal(write(pipe.toString(), "x"), -32602, "pipe is not a regular file"));
            messages.add(refusal(write(cwd.toString(), "x"), -32602, "is the session's working directory"));
            messages.add(refusal(write(cwd.resolve("no-folder/new.txt").toString(), "x"), -32002, "does not exist"));
            JsonObject noContent = new JsonObject();
            noContent.addProperty("path", cwd.resolve("notes.txt").toString());
            messages.add(refusal(request(AcpFiles.WRITE, noContent), -32602, "content is missing"));
            otherSession.addProperty("content", "x");
            messages.add(refusal(request(AcpFiles.WRITE, otherSession), -32602, "is not this agent's session"));
            assertEquals(12, log.warnings("refused the agent's fs/write_text_file").size(), log.text());
            assertFalse(log.text().contains("\tat "), "no stack trace: " + log.text());
        }
        for (String message : messages) {
            assertFalse(message.contains("Exception"), message);
        }
        assertEquals(disk, snapshot(cwd, outside), "nothing changed inside or outside, nothing created");
        assertEquals("secret\n", Files.readString(secret));
        assertTrue(content(read(cwd.resolve("notes.txt"), null, null)).equals("one\n"), "the agent goes on");
    }

    /** The bounds and text checks with a small bound (an agent's line cannot carry a text over the real one). */
    @Test
    void theFilesPartRefusesTextOverItsBoundAndBytesThatAreNotUtf8() throws Exception {
        Path dir = Files.createDirectories(home.resolve("dir")).toRealPath();
        AcpFiles files = new AcpFiles(dir, 16);
        JsonObject params = new JsonObject();
        params.addProperty("sessionId", "s");
        params.addProperty("path", dir.resolve("a.txt").toString());
        params.addProperty("content", "x".repeat(17));
        AcpFiles.Refused tooLong = assertThrows(AcpFiles.Refused.class, () -> files.answer(AcpFiles.WRITE, "s", params));
        assertTrue(tooLong.getMessage().contains("is 17 bytes, over the 16 bytes"), tooLong.getMessage());
        assertFalse(Files.exists(dir.resolve("a.txt")));
        params.addProperty("content", "\u00e9\u00e8\u2713 ok"); // 11 bytes as UTF-8
        files.answer(AcpFiles.WRITE, "s", params);
        assertEquals("\u00e9\u00e8\u2713 ok", Files.readString(dir.resolve("a.txt"), StandardCharsets.UTF_8));
        assertEquals("\u00e9\u00e8\u2713 ok", Json.text(files.answer(AcpFiles.READ, "s", params), "content"));

        Files.write(dir.resolve("b.bin"), new byte[] { 'o', 'k', (byte) 0xff, (byte) 0xfe });
        params.addProperty("path", dir.resolve("b.bin").toString());
        AcpFiles.Refused binary = assertThrows(AcpFiles.Refused.class, () -> files.answer(AcpFiles.READ, "s", params));
        assertTrue(binary.getMessage().endsWith("b.bin is not UTF-8 text"), binary.getMessage());
        AcpFiles.Refused notOpen = assertThrows(AcpFiles.Refused.class, () -> files.answer(AcpFiles.READ, "", params));
        assertTrue(notOpen.getMessage().contains("its session is not open yet"), notOpen.getMessage());
        assertEquals(AcpChannel.MAX_LINE_BYTES, AcpFiles.MAX_FILE_BYTES);
    }

    @Test
    void theOptionIsASwitchOnTheCommandLineAndAKeyInTheFile() throws Exception {
        Path gatewayHome = Files.createDirectories(home.resolve("options"));
        assertFalse(GatewayOptions.parse(List.of(), gatewayHome).acpFs(), "off by default");
        GatewayOptions on = GatewayOptions.parse(List.of("--acp-fs", "--port", "0"), gatewayHome);
        assertTrue(on.acpFs());
        assertEquals(0, on.port(), "a switch takes no value: the next option is read as one");
        assertFalse(GatewayOptions.parse(List.of("--acp-fs=false"), gatewayHome).acpFs());
        GatewayOptions.OptionsException bad = assertThrows(GatewayOptions.OptionsException.class,
                () -> GatewayOptions.parse(List.of("--acp-fs=maybe"), gatewayHome));
        assertEquals("--acp-fs is true or false (alone: true), not 'maybe'", bad.getMessage());

        Files.writeString(gatewayHome.resolve(GatewayOptions.CONFIG_FILE), "acp-fs = true\n");
        assertTrue(GatewayOptions.parse(List.of(), gatewayHome).acpFs());
        assertFalse(GatewayOptions.parse(List.of("--acp-fs=false"), gatewayHome).acpFs(), "the command line wins");
    }

    /** Every file and folder under each root (links not followed): its kind, permissions, inode, and content. */
    private static Map<String, String> snapshot(Path... roots) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (Path root : roots) {
            try (Stream<Path> all = Files.walk(root)) {
                for (Path p : all.toList()) {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    String what = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS))
                            + " " + a.fileKey();
                    if (a.isSymbolicLink()) {
                        what += " link to " + Files.readSymbolicLink(p);
                    } else if (a.isRegularFile()) {
                        what += " " + a.size() + " bytes " + HexFormat.of().formatHex(
                                MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
                    } else {
                        what += a.isDirectory() ? " folder" : " other";
                    }
                    out.put(p.toString(), what);
                }
            }
        }
        return out;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".scripted-agent")).sorted()
                    .toList();
        }
    }

    private static Object fileKey(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }
}
