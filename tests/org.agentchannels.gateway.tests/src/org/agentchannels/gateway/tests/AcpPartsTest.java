package org.agentchannels.gateway.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.agentchannels.gateway.GatewayOptions;
import org.agentchannels.gateway.GatewayOptions.OptionsException;
import org.agentchannels.gateway.internal.acp.AcpChannel;
import org.agentchannels.gateway.internal.acp.CommandWords;
import org.agentchannels.tests.support.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The pieces of the ACP client that need no agent: launch lines, options, the line channel. */
class AcpPartsTest {

    @TempDir
    Path home;

    @Test
    void anAgentGetsTheEnvironmentGivenItButNeverTheGatewaysSecrets() throws Exception {
        java.util.Map<String, String> given = new java.util.HashMap<>();
        given.put("AGENT_SETTING", "kept");
        for (String secret : GatewayOptions.SECRET_VARIABLES) {
            given.put(secret, "secret-of-" + secret);
        }
        org.agentchannels.gateway.internal.acp.AgentProcess agent = org.agentchannels.gateway.internal.acp.AgentProcess
                .start(List.of("/usr/bin/env"), home, given, p -> { });
        String environment = new String(agent.stdout().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(environment.contains("AGENT_SETTING=kept"), environment);
        assertTrue(GatewayOptions.SECRET_VARIABLES.contains(GatewayOptions.BROKER_PASSWORD_VARIABLE));
        for (String secret : GatewayOptions.SECRET_VARIABLES) {
            assertTrue(!environment.contains(secret), secret + " reached the agent");
        }
        agent.stop(Duration.ofSeconds(5), () -> { });
    }

    @Test
    void aLaunchLineSplitsAsAShellWouldWithNoShellFeatures() {
        assertEquals(List.of("opencode", "acp"), CommandWords.split("  opencode   acp "));
        assertEquals(List.of("/opt/my agent/bin/run", "--flag=a b", "it's", "$HOME", "a;b|c"),
                CommandWords.split("'/opt/my agent/bin/run' \"--flag=a b\" it\\'s '$HOME' a;b|c"));
        assertEquals(List.of("say \"hi\"", ""), CommandWords.split("\"say \\\"hi\\\"\" ''"));
        assertThrows(IllegalArgumentException.class, () -> CommandWords.split("run 'unclosed"));
        assertThrows(IllegalArgumentException.class, () -> CommandWords.split("run \"unclosed"));
        assertThrows(IllegalArgumentException.class, () -> CommandWords.split("run \\"));
        assertThrows(IllegalArgumentException.class, () -> CommandWords.split("   "));
    }

    @Test
    void theAcpOptionsAreCheckedWhenParsed() throws OptionsException {
        GatewayOptions o = GatewayOptions.parse(List.of("--agent", "acp", "--acp-command", "opencode acp"), home);
        assertEquals("opencode acp", o.agentSettings().get("acp-command"));
        assertEquals(home.resolve("workspace"), o.workspace());
        assertEquals(Path.of("/srv/projects"),
                GatewayOptions.parse(List.of("--agent", "gemini", "--workspace", "/srv/projects"), home).workspace());
        OptionsException missing = assertThrows(OptionsException.class,
                () -> GatewayOptions.parse(List.of("--agent", "acp"), home));
        assertTrue(missing.getMessage().contains("--acp-command"), missing.getMessage());
        assertThrows(OptionsException.class,
                () -> GatewayOptions.parse(List.of("--agent", "opencode", "--workspace", "relative/dir"), home));
        assertEquals(List.of(Path.of("/srv/a"), Path.of("/srv/b")), GatewayOptions.parse(List.of("--workspace",
                "/srv/a" + java.io.File.pathSeparator + " /srv/b"), home).workspaces());
        assertThrows(OptionsException.class, () -> GatewayOptions.parse(List.of("--workspace",
                "/srv/a" + java.io.File.pathSeparator + "b"), home));
    }

    /** An in-memory agent end of a channel: what the channel writes, and a pipe to write the agent's lines into. */
    private static final class Peer implements AcpChannel.Handler {
        final PipedOutputStream agentSays = new PipedOutputStream();
        final PipedInputStream channelReads;
        final ByteArrayOutputStream channelWrites = new ByteArrayOutputStream();
        final List<String> seen = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();

        Peer() throws IOException {
            channelReads = new PipedInputStream(agentSays, 1 << 20);
        }

        void say(String line) throws IOException {
            agentSays.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            agentSays.flush();
        }

        @Override
        public void notification(String method, JsonObject params) {
            seen.add("notification " + method + " " + params);
        }

        @Override
        public void request(JsonElement id, String method, JsonObject params) {
            seen.add("request " + id + " " + method);
        }

        @Override
        public void malformed(String problem) {
            seen.add("malformed " + problem);
        }

        @Override
        public void closed() {
            closed.complete(null);
        }
    }

    @Test
    void theChannelCorrelatesAnswersSkipsGarbageAndRefusesOverlongLinesWithoutKeepingThem() throws Exception {
        Peer agent = new Peer();
        AcpChannel channel = new AcpChannel(agent.channelReads, agent.channelWrites, agent, "test");
        channel.start();
        CompletableFuture<JsonObject> first = channel.call("initialize", new JsonObject());
        CompletableFuture<JsonObject> second = channel.call("session/new", new JsonObject());
        agent.say("not json at all");
        agent.say("[1, 2]");
        agent.say("x".repeat(AcpChannel.MAX_LINE_BYTES + 10));
        agent.say("{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"n\":1}}");
        agent.say("{\"jsonrpc\":\"2.0\",\"id\":\"perm-1\",\"method\":\"session/request_permission\",\"params\":{}}");
        // answered out of order, the second with an error
        agent.say("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"error\":{\"code\":\"not a number\"}}");
        agent.say("{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32000,\"message\":\"Authentication required\"}}");
        agent.say("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":1}}");
        assertEquals(1, first.get(10, TimeUnit.SECONDS).get("protocolVersion").getAsInt());
        ExecutionException error = assertThrows(ExecutionException.class, () -> second.get(10, TimeUnit.SECONDS));
        AcpChannel.AcpError acp = (AcpChannel.AcpError) error.getCause();
        assertEquals(-32000, acp.code());
        assertEquals("Authentication required", acp.getMessage());
        assertEquals(List.of("malformed a line that is not JSON was skipped",
                "malformed a line that is not a JSON object was skipped", "malformed a line over 8 MiB was refused",
                "notification session/update {\"n\":1}", "request \"perm-1\" session/request_permission",
                "malformed an answer to no request of ours was skipped"), agent.seen);

        CompletableFuture<JsonObject> pending = channel.call("session/prompt", new JsonObject());
        agent.agentSays.close();
        agent.closed.get(10, TimeUnit.SECONDS);
        ExecutionException lost = assertThrows(ExecutionException.class, () -> pending.get(10, TimeUnit.SECONDS));
        assertTrue(lost.getCause() instanceof AcpChannel.ChannelClosed);
        assertTrue(channel.isClosed());
        // the writer thread wrote them, in order
        Await.until("the three requests written", Duration.ofSeconds(10),
                () -> agent.channelWrites.toString(StandardCharsets.UTF_8).lines().count() == 3);
        String written = agent.channelWrites.toString(StandardCharsets.UTF_8);
        assertTrue(written.lines().allMatch(l -> l.startsWith("{\"jsonrpc\":\"2.0\",\"id\":")), written);
    }

    private static String chunk(String session, String kind, String text) {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\"" + session
                + "\",\"update\":{\"sessionUpdate\":\"" + kind + "\",\"content\":{\"type\":\"text\",\"text\":\"" + text
                + "\"}}}}";
    }

    private static String seenChunk(String session, String kind, String text) {
        return "notification session/update {\"sessionId\":\"" + session + "\",\"update\":{\"sessionUpdate\":\"" + kind
                + "\",\"content\":{\"type\":\"text\",\"text\":\"" + text + "\"}}}";
    }

    @Test
    void chunksReadTogetherAreJoinedInOrderAndAChunkAloneIsPassedOnAtOnce() throws Exception {
        String tool = "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\"a\","
                + "\"update\":{\"sessionUpdate\":\"tool_call\",\"toolCallId\":\"c1\",\"title\":\"Run\"}}}";
        String annotated = "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\"a\","
                + "\"update\":{\"sessionUpdate\":\"agent_message_chunk\",\"content\":{\"type\":\"text\",\"text\":\"f\","
                + "\"annotations\":{}}}}}";
        String lines = String.join("\n", chunk("a", "agent_message_chunk", "a"), chunk("a", "agent_message_chunk", "b"),
                chunk("a", "agent_message_chunk", "c"), chunk("a", "agent_thought_chunk", "hm"),
                chunk("a", "agent_message_chunk", "d"), chunk("a", "agent_message_chunk", "e"), tool, annotated,
                chunk("b", "agent_message_chunk", "other"), chunk("a", "agent_message_chunk", "g"), "");
        Peer agent = new Peer();
        new AcpChannel(new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)), agent.channelWrites, agent, "test")
                .start();
        agent.closed.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(seenChunk("a", "agent_message_chunk", "abc"), seenChunk("a", "agent_thought_chunk", "hm"),
                seenChunk("a", "agent_message_chunk", "de"), "notification session/update " + JsonParser.parseString(tool)
                        .getAsJsonObject().get("params"),
                "notification session/update " + JsonParser.parseString(annotated).getAsJsonObject().get("params"),
                seenChunk("b", "agent_message_chunk", "other"), seenChunk("a", "agent_message_chunk", "g")), agent.seen);

        // a chunk that arrives alone is not held back for one that may never come
        Peer paced = new Peer();
        new AcpChannel(paced.channelReads, paced.channelWrites, paced, "test").start();
        paced.say(chunk("a", "agent_message_chunk", "alone"));
        Await.until("the lone chunk", Duration.ofSeconds(10),
                () -> paced.seen.equals(List.of(seenChunk("a", "agent_message_chunk", "alone"))));
        paced.agentSays.close();
    }

    @Test
    void anAgentThatNeverWritesANewlineCannotGrowTheBufferPastTheLimit() throws Exception {
        byte[] endless = new byte[AcpChannel.MAX_LINE_BYTES * 2];
        java.util.Arrays.fill(endless, (byte) 'y');
        Peer agent = new Peer();
        AcpChannel channel = new AcpChannel(new ByteArrayInputStream(endless), agent.channelWrites, agent, "test");
        channel.start();
        agent.closed.get(30, TimeUnit.SECONDS);
        Await.until("the refusal", Duration.ofSeconds(10), () -> agent.seen.contains("malformed a line over 8 MiB was refused"));
        assertEquals(1, agent.seen.size());
    }
}
