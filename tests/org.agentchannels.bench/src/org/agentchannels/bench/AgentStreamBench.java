package org.agentchannels.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.Json;
import org.agentchannels.gateway.Gateway;
import org.agentchannels.gateway.agent.AcpAgent;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * B7: what the gateway adds to an ACP agent's stream. The scripted agent (tests.support's
 * {@code agents/ScriptedAcpAgent.java}, run as its own process) writes answer chunks as fast as it can, or
 * 2,000 a second stamped with the wall-clock time; the same agent is read raw over its standard streams, then
 * through a gateway into a client, in one run. Every chunk carries its stamp, so updates are counted by their
 * stamps whether or not the gateway joined chunks that reached it together.
 */
final class AgentStreamBench {

    private static final int FLOOD = 200_000;
    private static final int RATE = 2_000;
    private static final int PACED = 10_000;
    /** Pairs of flood runs (raw, then through the gateway) whose median ratio is the result. */
    private static final int ROUNDS = 9;
    /** Pairs of paced runs (5 s each) whose median added p99 is the result. */
    private static final int PACED_ROUNDS = 3;

    private final Benchmarks bench;
    private final Path home;
    private final List<String> agent;

    AgentStreamBench(Benchmarks bench, Path home) throws IOException {
        this.bench = bench;
        this.home = home;
        Path source = Path.of(System.getProperty("agentchannels.root", "."),
                "tests/org.agentchannels.tests.support/agents/ScriptedAcpAgent.java");
        Path copy = Files.createDirectories(home.resolve("b7")).resolve("ScriptedAcpAgent.java");
        Files.copy(source, copy);
        this.agent = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                copy.toString(), "flood");
    }

    List<Benchmarks.Result> run() throws Exception {
        Benchmarks.say("B7: an ACP agent's stream, raw and through the gateway");
        // warm-ups long enough for the JIT to compile each path, flooded and paced (joined chunks call the
        // gateway's path fewer times than there are chunks, so it needs more of them than the raw reader)
        raw(FLOOD, 0);
        raw(PACED / 5, RATE);
        Gateway gateway = bench.gateway("b7", new AcpAgent(agent, home.resolve("b7-workspace"), AcpAgent.START_TIMEOUT));
        StandaloneGatewayConnector client = bench.connector(gateway, "bench");
        through(gateway, client, FLOOD, 0);
        through(gateway, client, PACED / 5, RATE);

        // raw and through the gateway measured in turns, each pair back to back, so that what else the machine
        // does meanwhile weighs on both alike; the ratio is the median of the pairs' ratios
        double[] ratios = new double[ROUNDS];
        double[] rawRates = new double[ROUNDS];
        double[] gatewayRates = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            rawRates[i] = FLOOD / raw(FLOOD, 0).seconds;
            gatewayRates[i] = FLOOD / through(gateway, client, FLOOD, 0).seconds;
            ratios[i] = gatewayRates[i] / rawRates[i];
        }
        double ratio = median(ratios);
        double rawRate = median(rawRates);
        double gatewayRate = median(gatewayRates);
        // the paced runs likewise, in pairs: a single pause of the machine moves one run's p99
        double[] rawP99s = new double[PACED_ROUNDS];
        double[] gatewayP99s = new double[PACED_ROUNDS];
        double[] addedP99s = new double[PACED_ROUNDS];
        for (int i = 0; i < PACED_ROUNDS; i++) {
            rawP99s[i] = Benchmarks.percentile(raw(PACED, RATE).latencies, 0.99) / 1000.0;
            gatewayP99s[i] = Benchmarks.percentile(through(gateway, client, PACED, RATE).latencies, 0.99) / 1000.0;
            addedP99s[i] = gatewayP99s[i] - rawP99s[i];
        }
        double rawP99 = median(rawP99s);
        double gatewayP99 = median(gatewayP99s);
        double added = median(addedP99s);
        return List.of(
                new Benchmarks.Result("B7", "an ACP agent's updates/s into a client, vs the same agent read raw",
                        String.format("%.0f/s vs %.0f/s raw: %.2f (pairs from %.2f to %.2f)", gatewayRate, rawRate, ratio,
                                min(ratios), max(ratios)), ">= 0.8", ratio >= 0.8,
                        "median of " + ROUNDS + " pairs of runs, raw then through the gateway, each of " + FLOOD
                                + " answer chunks written as fast as the scripted agent can, after a warm-up of as many and "
                                + (PACED / 5) + " paced; the raw reader parses each line into a JSON tree (the least a "
                                + "client reading ACP does), the gateway reads chunk lines without one and joins the chunks "
                                + "one read of the agent's output holds, so through it can be faster than raw; the pairs "
                                + "vary because the agent, a process of its own, does"),
                new Benchmarks.Result("B7", "p99 latency the gateway adds at 2,000 updates/s",
                        String.format("%.3f ms (p99 %.3f ms through it, %.3f ms raw; pairs from %.3f to %.3f ms)", added,
                                gatewayP99, rawP99, min(addedP99s), max(addedP99s)), "< 1 ms",
                        added < 1.0, "median of " + PACED_ROUNDS + " pairs of runs of " + PACED + " chunks stamped with the wall clock by the agent, read by the client's "
                                + "connection and by a raw reader of the agent's output"));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(double[] values) {
        return java.util.Arrays.stream(values).min().orElse(0);
    }

    private static double max(double[] values) {
        return java.util.Arrays.stream(values).max().orElse(0);
    }

    /** What one run measured: its length, and each chunk's latency in microseconds when paced. */
    private record Run(double seconds, long[] latencies) {
    }

    /** The agent read directly: its lines read and parsed, nothing else (the least any client does). */
    private Run raw(int count, int rate) throws Exception {
        Process process = new ProcessBuilder(agent).directory(home.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long[] latencies = new long[count];
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8), 1 << 16);
                Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
            in.write("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":1}}\n");
            in.write("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"session/new\",\"params\":{}}\n");
            in.flush();
            readUntilAnswer(out, 2, null, 0);
            long start = System.nanoTime();
            in.write("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"session/prompt\",\"params\":{\"sessionId\":\"scripted-1\","
                    + "\"prompt\":[{\"type\":\"text\",\"text\":\"" + count + " " + rate + "\"}]}}\n");
            in.flush();
            readUntilAnswer(out, 3, rate > 0 ? latencies : null, count);
            return new Run((System.nanoTime() - start) / 1e9, sorted(latencies, rate));
        } finally {
            process.destroyForcibly();
        }
    }

    /** Reads the agent's lines until the answer to request {@code id}, noting each update's latency if asked. */
    private static void readUntilAnswer(BufferedReader out, int id, long[] latencies, int count) throws IOException {
        int seen = 0;
        String line;
        while ((line = out.readLine()) != null) {
            JsonObject message = JsonParser.parseString(line).getAsJsonObject();
            if (message.has("id") && message.get("id").getAsInt() == id && !message.has("method")) {
                return;
            }
            if (latencies != null && seen < count) {
                latencies[seen] = latency(Json.text(Json.object(Json.object(Json.object(message, "params"), "update"),
                        "content"), "text"));
            }
            seen++;
        }
        throw new IOException("the agent ended before answering request " + id);
    }

    /**
     * The agent behind a gateway, its chunks counted as the client's connection receives them. The session's
     * agent has answered a turn before the measured one, as the raw run's agent has answered {@code session/new}:
     * an agent's start-up is not what either measures.
     */
    private Run through(Gateway gateway, StandaloneGatewayConnector client, int count, int rate) throws Exception {
        AttachedSession s = Benchmarks.newSession(gateway, client);
        s.submit("1 0").get(60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (s.model().rowCount() < 2 || s.model().isStreaming()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the agent did not answer its first turn within 60 s");
            }
            Thread.sleep(10);
        }
        long[] latencies = new long[count];
        AtomicInteger seen = new AtomicInteger();
        CompletableFuture<Void> complete = new CompletableFuture<>();
        GatewayConnection.Listener listener = new GatewayConnection.Listener() {
            @Override
            public void event(GatewayConnection connection, Frame.Event event) {
                if (event.type().equals("message.delta")) {
                    // the gateway may join chunks that reached it together: each stamp is one of the agent's updates
                    for (String stamp : Json.text(event.payload(), "text").split(" ")) {
                        int i = seen.getAndIncrement();
                        if (i < count && rate > 0) {
                            latencies[i] = latency(stamp);
                        }
                    }
                } else if (event.type().equals("message.complete")) {
                    complete.complete(null);
                }
            }
        };
        s.connection().addListener(listener);
        try {
            long start = System.nanoTime();
            s.submit(count + " " + rate).get(60, TimeUnit.SECONDS);
            complete.get(300, TimeUnit.SECONDS);
            if (seen.get() != count) {
                throw new IllegalStateException("the client saw " + seen.get() + " of the agent's " + count + " updates");
            }
            return new Run((System.nanoTime() - start) / 1e9, sorted(latencies, rate));
        } finally {
            s.connection().removeListener(listener);
        }
    }

    /** Microseconds from the stamp in a chunk ("t<epoch micros> ") to now. */
    private static long latency(String chunk) {
        Instant now = Instant.now();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
        return micros - Long.parseLong(chunk.strip().substring(1));
    }

    private static long[] sorted(long[] latencies, int rate) {
        if (rate == 0) {
            return new long[0];
        }
        long[] copy = latencies.clone();
        Arrays.sort(copy);
        return copy;
    }
}
