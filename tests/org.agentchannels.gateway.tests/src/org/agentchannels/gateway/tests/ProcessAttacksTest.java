package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.Json;
import org.agentchannels.gateway.internal.AgentProcesses;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.Closer;
import org.agentchannels.tests.gateway.GatewayProcess;
import org.agentchannels.tests.support.RawWebSocket;
import org.agentchannels.tests.support.ScriptedAcpAgents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;

/**
 * Attacks on a gateway running as its own process, as the workbench and the headless scripts start it: a flood
 * of unauthenticated connections (the log stays small), and a SIGKILL while an exec agent's command runs (the
 * next start stops what the killed gateway left running).
 */
@SuppressWarnings("resource") // closed in finally blocks
class ProcessAttacksTest {

    @TempDir
    Path dir;

    private final FrameCodec codec = new FrameCodec();

    /** A WebSocket upgrade without a token, as a scanner sends it; returns the close code the gateway sent. */
    private static int unauthenticatedUpgrade(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            int matched = 0;
            while (matched < 4) { // to the end of the 101 response's headers
                int b = in.read();
                if (b < 0) {
                    return -1;
                }
                matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
            }
            int opcode = in.read();
            int length = in.read();
            if (opcode != 0x88 || length < 2) {
                return -1;
            }
            return in.read() << 8 | in.read();
        }
    }

    @Test
    void twoThousandUnauthenticatedConnectionsLeaveTheLogSmall() throws Exception {
        GatewayProcess gateway = GatewayProcess.start(dir.resolve("gw"), List.of());
        try {
            int before = gateway.log().length();
            int port = URI.create(gateway.endpoint()).getPort();
            for (int i = 0; i < 2000; i++) {
                assertEquals(4401, unauthenticatedUpgrade(port));
            }
            String log = gateway.log();
            assertTrue(log.contains("refused a connection without a valid token (from 127.0.0.1"), log);
            // one line, then at most one count per minute the flood lasted (each some 150 bytes)
            assertTrue(log.length() - before < 16 * 1024, "the log grew by " + (log.length() - before) + " bytes");
            assertTrue(gateway.isAlive());
        } finally {
            gateway.close();
        }
    }

    /** One JSON-RPC call over the raw socket; its result. */
    private JsonObject rpc(RawWebSocket s, int id, String method, String params) throws Exception {
        s.send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}");
        JsonObject[] found = new JsonObject[1];
        Await.until(method + "'s answer", WAIT, () -> {
            for (String text : s.received()) {
                if (codec.decode(text) instanceof Frame.Response r && r.id().isJsonPrimitive() && r.id().getAsInt() == id) {
                    found[0] = r.resultObject();
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /**
     * Prompts an exec gateway whose command starts a long sleep and writes its process id; returns that process
     * once it runs. The client stays connected (closed by {@code closer}), so nothing but the gateway's end
     * ends the turn.
     */
    private ProcessHandle startSleeper(GatewayProcess gateway, Path pidFile, Closer closer) throws Exception {
        RawWebSocket s = RawWebSocket.connect(gateway.endpoint(), Map.of("Authorization", "Bearer " + gateway.token()));
        closer.track(s);
        Await.until("gateway.ready", WAIT, () -> !s.received().isEmpty());
        String session = Json.text(rpc(s, 1, "session.create", "{}"), "session_id");
        rpc(s, 2, "prompt.submit", "{\"session_id\":\"" + session + "\",\"text\":\"go\"}");
        Await.until("the command to start its sleep", WAIT, () -> {
            try {
                return Files.readString(pidFile).endsWith("\n");
            } catch (IOException e) {
                return false;
            }
        });
        ProcessHandle sleeper = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).orElseThrow();
        // the command (the shell the sleep is a child of) is recorded just after it started: wait for that too
        long command = sleeper.parent().orElseThrow().pid();
        Path recorded = gateway.home().resolve("agent-processes");
        Await.until("the gateway to record its command", WAIT, () -> {
            try {
                return Files.readString(recorded).startsWith(command + " ");
            } catch (IOException e) {
                return false;
            }
        });
        return sleeper;
    }

    private static List<String> sleeperGateway(Path pidFile) {
        return List.of("--agent", "exec", "--exec-command", "sleep 600 & echo $! > '" + pidFile + "'; wait");
    }

    @Test
    void whatAnExecAgentStartedDoesNotOutliveAKilledGatewaysNextStart() throws Exception {
        Path home = dir.resolve("gw");
        Path pidFile = dir.resolve("sleep.pid");
        GatewayProcess first = GatewayProcess.start(home, sleeperGateway(pidFile));
        ProcessHandle sleeper = null;
        Closer closer = new Closer();
        try {
            sleeper = startSleeper(first, pidFile, closer);
            first.killAlone();
            assertTrue(sleeper.isAlive(), "the killed gateway's command runs on (what the next start must stop)");
            GatewayProcess second = GatewayProcess.start(home, List.of());
            try {
                sleeper.onExit().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertFalse(sleeper.isAlive());
                assertTrue(second.log().contains("stopped 1 agent process(es) the last gateway left running"), second.log());
            } finally {
                second.close();
            }
        } finally {
            closer.close();
            first.close();
            if (sleeper != null) {
                sleeper.destroyForcibly();
            }
        }
    }

    @Test
    void anAcpAgentDoesNotOutliveAKilledGatewaysNextStart() throws Exception {
        Path home = dir.resolve("gw");
        // an agent that ignores the end of its input, started with the session it serves
        String agent = String.join(" ", ScriptedAcpAgents.command("ignore-eof", Files.createDirectories(dir.resolve("acp"))));
        GatewayProcess first = GatewayProcess.start(home, List.of("--agent", "acp", "--acp-command", agent));
        Closer closer = new Closer();
        ProcessHandle[] started = new ProcessHandle[1];
        try {
            RawWebSocket s = RawWebSocket.connect(first.endpoint(), Map.of("Authorization", "Bearer " + first.token()));
            closer.track(s);
            Await.until("gateway.ready", WAIT, () -> !s.received().isEmpty());
            rpc(s, 1, "session.create", "{}");
            Path recorded = home.resolve("agent-processes");
            Await.until("the gateway to record its agent", WAIT, () -> {
                try {
                    String line = Files.readString(recorded).strip();
                    started[0] = line.isEmpty() ? null : ProcessHandle.of(Long.parseLong(line.split(" ")[0])).orElse(null);
                    return started[0] != null;
                } catch (IOException | NumberFormatException e) {
                    return false;
                }
            });
            assertTrue(started[0].info().arguments().map(a -> List.of(a).contains("ignore-eof")).orElse(false));
            first.killAlone();
            assertTrue(started[0].isAlive(), "the killed gateway's agent runs on (what the next start must stop)");
            GatewayProcess second = GatewayProcess.start(home, List.of());
            try {
                started[0].onExit().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertFalse(started[0].isAlive());
            } finally {
                second.close();
            }
        } finally {
            closer.close();
            first.close();
            if (started[0] != null) {
                started[0].destroyForcibly();
            }
        }
    }

    @Test
    void aCleanStopLeavesNoAgentProcessRunning() throws Exception {
        Path pidFile = dir.resolve("sleep.pid");
        GatewayProcess gateway = GatewayProcess.start(dir.resolve("gw"), sleeperGateway(pidFile));
        ProcessHandle sleeper = null;
        Closer closer = new Closer();
        try {
            sleeper = startSleeper(gateway, pidFile, closer);
            assertEquals(143, gateway.stop(), gateway.log());
            sleeper.onExit().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertFalse(Files.exists(dir.resolve("gw").resolve("agent-processes")));
        } finally {
            closer.close();
            gateway.close();
            if (sleeper != null) {
                sleeper.destroyForcibly();
            }
        }
    }

    @Test
    void aRecordedIdNowUsedByAnotherProcessIsLeftAlone() throws Exception {
        List<Process> started = new ArrayList<>();
        try {
            Process stranger = new ProcessBuilder("sleep", "600").start();
            Process leftover = new ProcessBuilder("sleep", "600").start();
            started.addAll(List.of(stranger, leftover));
            long leftoverStart = leftover.info().startInstant().orElseThrow().toEpochMilli();
            long strangerStart = stranger.info().startInstant().orElseThrow().toEpochMilli();
            Path file = dir.resolve("agent-processes");
            // the stranger's id with another start time: an id the system gave to a new process since
            Files.writeString(file, stranger.pid() + " " + (strangerStart - 5000) + "\n" + leftover.pid() + " "
                    + leftoverStart + "\nnot a line\n");
            assertEquals(1, AgentProcesses.reapLeftovers(file));
            assertTrue(leftover.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertTrue(stranger.isAlive());
            assertFalse(Files.exists(file));
            assertEquals(0, AgentProcesses.reapLeftovers(file));
        } finally {
            started.forEach(Process::destroyForcibly);
        }
    }
}
