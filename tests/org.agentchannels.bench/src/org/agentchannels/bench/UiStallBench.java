package org.agentchannels.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.agentchannels.bench.Benchmarks.Result;
import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.gateway.Gateway;

/**
 * B9: the UI thread of the desktop product while chats stream and open. The product (started with
 * {@code AGENTCHANNELS_BENCH=1}) probes its own UI thread with a tiny task every 10 ms and says the longest wait of
 * each tenth of a second; it also says where each Live row is and what each chat shows. The bench double-clicks the
 * rows with xdotool, as a person would, and streams turns from a second client: first 5,000 deltas into an open
 * chat, then a 10,000-message session opened while its own turn streams 5,000 deltas. Each is done twice; the first
 * warms the code paths up (a workbench that has run a while), the second is the figure.
 */
final class UiStallBench {

    static final String WHAT = "worst UI-thread wait while 5,000 deltas stream into an open chat; "
            + "while a 10,000-message session opens as its turn streams 5,000 deltas";
    static final double GOAL_MS = 50;
    private static final String GOAL = "< 50 ms";
    private static final int DELTAS = 5_000;
    private static final int DELTAS_PER_SECOND = 1_000;
    private static final int HISTORY = 10_000;
    private static final long TIMEOUT_SECONDS = 120;

    private final Benchmarks bench;
    private final Path home;
    private final BenchCharts charts;

    UiStallBench(Benchmarks bench, Path home, BenchCharts charts) {
        this.bench = bench;
        this.home = home;
        this.charts = charts;
    }

    List<Result> run(Path product) throws Exception {
        if (product == null || System.getenv("DISPLAY") == null || !onPath("xdotool")) {
            return List.of(new Result("B9", WHAT, "not measured", GOAL, false,
                    "needs the product, a display and xdotool; run through ./agentchannels bench"));
        }
        Benchmarks.say("B9: the workbench's UI thread while chats stream and a 10,000-message session opens");
        Path presence = Files.createDirectories(home.resolve("b9-presence"));
        Gateway gateway = bench.announcedGateway("b9-gateway", "stream-box", presence, new Benchmarks.Paced(DELTAS_PER_SECOND));
        StandaloneGatewayConnector client = bench.connector(gateway, "other-device");
        GatewayConnection c = client.ensureGatewayForEndpoint(gateway.localEndpoint()).get(30, TimeUnit.SECONDS);
        String streaming = c.createSession("Streaming", List.of()).get(30, TimeUnit.SECONDS).sessionId();
        String warmHistory = c.createSession("Warm-up history", history()).get(120, TimeUnit.SECONDS).sessionId();
        String measuredHistory = c.createSession("History", history()).get(120, TimeUnit.SECONDS).sessionId();
        Benchmarks.Workbench workbench = bench.workbench("b9", presence, gateway.localEndpoint() + " " + gateway.token() + "\n");

        Process p = workbench.process(product).start();
        ProductOutput out = new ProductOutput(p);
        try {
            out.awaitRows(List.of(streaming, warmHistory, measuredHistory));
            Thread.sleep(2000); // the start-up's own work is done
            out.doubleClickRow(streaming);
            out.awaitChat(streaming, state -> state.rows() == 0 && !state.rendering());
            Thread.sleep(1000);

            AttachedSession stream = client.attach(gateway.localEndpoint(), streaming, "").get(30, TimeUnit.SECONDS);
            List<Long> streamWaits = new ArrayList<>();
            List<Long> measuredStream = List.of();
            for (int round = 0; round < 2; round++) {
                long from = System.currentTimeMillis();
                stream.submit(String.valueOf(DELTAS)).get(30, TimeUnit.SECONDS);
                int rows = 2 * (round + 1);
                out.awaitChat(streaming, state -> state.rows() == rows && !state.running() && !state.rendering());
                measuredStream = out.waitsBetween(from, System.currentTimeMillis());
                Benchmarks.say(String.format("B9: %s stream into an open chat: longest UI-thread wait %d ms",
                        round == 0 ? "a warm-up" : "the measured", worst(measuredStream)));
                Thread.sleep(1000);
            }
            streamWaits.addAll(measuredStream);

            List<Long> measuredOpen = List.of();
            long openEditorMillis = -1;
            for (String session : List.of(warmHistory, measuredHistory)) {
                AttachedSession other = client.attach(gateway.localEndpoint(), session, "").get(60, TimeUnit.SECONDS);
                long from = System.currentTimeMillis();
                other.submit(String.valueOf(DELTAS)).get(30, TimeUnit.SECONDS);
                Thread.sleep(300); // its turn is streaming
                out.doubleClickRow(session);
                out.awaitChat(session, state -> state.rows() == HISTORY + 2 && !state.running() && !state.rendering());
                measuredOpen = out.waitsBetween(from, System.currentTimeMillis());
                openEditorMillis = out.openingMillis(session);
                Benchmarks.say(String.format("B9: %s 10,000-message session opened as it streams: longest UI-thread wait %d ms "
                        + "(the workbench's openEditor: %d ms)", session.equals(warmHistory) ? "a warm-up" : "the measured",
                        worst(measuredOpen), openEditorMillis));
                Thread.sleep(1000);
            }
            long streamWorst = worst(streamWaits);
            long openWorst = worst(measuredOpen);
            charts.uiWaits(streamWaits, measuredOpen, GOAL_MS);
            return List.of(new Result("B9", WHAT, String.format("%d ms; %d ms", streamWorst, openWorst), GOAL,
                    Math.max(streamWorst, openWorst) < GOAL_MS,
                    "the desktop product under Xvfb: a thread in it posts a tiny task to the UI thread every 10 ms and "
                            + "records how long each waited (collector pauses included); the chats opened by double-clicks "
                            + "(xdotool) on their Live rows, the turns (" + DELTAS + " deltas at " + DELTAS_PER_SECOND
                            + " a second) prompted from another device; each the second of two, the first warming up. "
                            + "Opening the chat: the workbench's openEditor call, our editor's contents made in it, took "
                            + openEditorMillis + " ms of the UI thread in one go, and painting the new editor follows it; the "
                            + "10,000-message window is then laid out a slice (about 150 lines) at a time"));
        } catch (IllegalStateException e) {
            return List.of(new Result("B9", WHAT, "not measured: " + e.getMessage(), GOAL, false, "see the bench's output"));
        } finally {
            out.stop();
        }
    }

    private static List<TranscriptRow> history() {
        List<TranscriptRow> rows = new ArrayList<>();
        for (int i = 0; i < HISTORY / 2; i++) {
            rows.add(TranscriptRow.user("question " + i + ": what does this part of the code do, and why?", ""));
            rows.add(TranscriptRow.assistant("Answer **" + i + "**: it reads the frame, checks `seq`, and applies it once. "
                    + "See [the notes](http://example.invalid).\n\n- one\n- two", "", ""));
        }
        return rows;
    }

    private static long worst(List<Long> waits) {
        return waits.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** What a chat said it shows. */
    record ChatState(int rows, boolean running, boolean rendering) {
    }

    /**
     * The product's output, read on a thread of its own: the Live rows' places, the chats' states and the UI
     * thread's waits, each as the product said it last.
     */
    private static final class ProductOutput {
        private static final Pattern ROW = Pattern.compile("agentchannels-bench: live-row session=(\\S+) x=(-?\\d+) y=(-?\\d+)");
        private static final Pattern CHAT = Pattern.compile(
                "agentchannels-bench: chat session=(\\S+) rows=(\\d+) running=(\\w+) rendering=(\\w+) time=\\d+");
        private static final Pattern OPENED = Pattern.compile("agentchannels-bench: chat-opened session=(\\S+) ms=(\\d+)");
        private static final Pattern WAIT = Pattern.compile("agentchannels-bench: ui-wait ms=(\\d+) time=(\\d+)");

        private final Process process;
        private final Thread reader;
        private final Map<String, int[]> rows = new HashMap<>();
        private final Map<String, ChatState> chats = new HashMap<>();
        /** How long the workbench took to open each session's chat, in ms. */
        private final Map<String, Long> opened = new HashMap<>();
        /** Each tenth of a second the product reported: when it ended (epoch ms) and its longest wait (ms). */
        private final List<long[]> waits = new ArrayList<>();
        /** The product's last lines that are none of these, to say what went wrong. */
        private final java.util.ArrayDeque<String> other = new java.util.ArrayDeque<>();

        ProductOutput(Process process) {
            this.process = process;
            this.reader = new Thread(this::read, "b9-product-output");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    take(line.strip());
                }
            } catch (IOException closed) {
                // the product is gone
            }
        }

        private synchronized void take(String line) {
            Matcher m;
            if ((m = WAIT.matcher(line)).matches()) {
                waits.add(new long[] { Long.parseLong(m.group(2)), Long.parseLong(m.group(1)) });
            } else if ((m = ROW.matcher(line)).matches()) {
                rows.put(m.group(1), new int[] { Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)) });
            } else if ((m = OPENED.matcher(line)).matches()) {
                opened.put(m.group(1), Long.parseLong(m.group(2)));
            } else if ((m = CHAT.matcher(line)).matches()) {
                chats.put(m.group(1), new ChatState(Integer.parseInt(m.group(2)), Boolean.parseBoolean(m.group(3)),
                        Boolean.parseBoolean(m.group(4))));
            } else {
                if (other.size() == 40) {
                    other.removeFirst();
                }
                other.addLast(line);
                return;
            }
            notifyAll();
        }

        synchronized void awaitRows(List<String> sessions) throws InterruptedException {
            await("the Live view's rows", () -> rows.keySet().containsAll(sessions));
        }

        synchronized void awaitChat(String session, Predicate<ChatState> state) throws InterruptedException {
            await("the chat of " + session + " to show its session", () -> chats.containsKey(session) && state.test(chats.get(session)));
        }

        private void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (!condition.getAsBoolean()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || !process.isAlive()) {
                    other.forEach(line -> Benchmarks.say("B9: the product said: " + line));
                    throw new IllegalStateException((process.isAlive() ? "waited in vain for " : "the product ended before ") + what);
                }
                wait(Math.min(left, 500));
            }
        }

        /** Double-clicks the middle of the session's Live row, where the product last said it is. */
        void doubleClickRow(String session) throws IOException, InterruptedException {
            int[] at;
            synchronized (this) {
                at = rows.get(session);
            }
            Process click = new ProcessBuilder("xdotool", "mousemove", "--sync", String.valueOf(at[0]), String.valueOf(at[1]),
                    "click", "--repeat", "2", "--delay", "80", "1").redirectErrorStream(true).start();
            click.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (!click.waitFor(30, TimeUnit.SECONDS) || click.exitValue() != 0) {
                throw new IllegalStateException("xdotool could not double-click the row of " + session);
            }
        }

        /** How long the workbench took to open the session's chat (ms), as the product said; -1 if it did not. */
        synchronized long openingMillis(String session) {
            return opened.getOrDefault(session, -1L);
        }

        /** The longest waits of the tenths of a second that ended from {@code from} to a tenth after {@code to}. */
        synchronized List<Long> waitsBetween(long from, long to) {
            List<Long> between = new ArrayList<>();
            for (long[] w : waits) {
                if (w[0] > from && w[0] <= to + 150) {
                    between.add(w[1]);
                }
            }
            return between;
        }

        void stop() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            reader.join(10_000);
        }
    }
}
