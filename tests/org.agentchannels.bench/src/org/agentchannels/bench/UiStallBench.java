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
 * chat, then a 10,000-message session opened while its own turn streams 5,000 deltas. Each is done four times; the
 * first warms the code paths up (a workbench that has run a while), the median of the others is the figure.
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
    /** How many streams and opens are measured, each after one that warms the code paths up. */
    private static final int MEASURED = 3;

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
        List<String> histories = new ArrayList<>();
        for (int i = 0; i <= MEASURED; i++) {
            histories.add(c.createSession((i == 0 ? "Warm-up history" : "History " + i), history()).get(120, TimeUnit.SECONDS)
                    .sessionId());
        }
        Benchmarks.Workbench workbench = bench.workbench("b9", presence, gateway.localEndpoint() + " " + gateway.token() + "\n");

        Process p = workbench.process(product).start();
        ProductOutput out = new ProductOutput(p);
        try {
            List<String> all = new ArrayList<>(histories);
            all.add(streaming);
            out.awaitRows(all);
            Thread.sleep(2000); // the start-up's own work is done
            out.awaitRowSettled(streaming, "idle");
            out.doubleClickRow(streaming);
            out.awaitChat(streaming, state -> state.rows() == 0 && !state.rendering());
            Thread.sleep(1000);

            AttachedSession stream = client.attach(gateway.localEndpoint(), streaming, "").get(30, TimeUnit.SECONDS);
            List<List<Long>> streams = new ArrayList<>();
            for (int round = 0; round <= MEASURED; round++) {
                long from = System.currentTimeMillis();
                stream.submit(String.valueOf(DELTAS)).get(30, TimeUnit.SECONDS);
                int rows = 2 * (round + 1);
                out.awaitChat(streaming, state -> state.rows() == rows && !state.running() && !state.rendering());
                List<Long> waits = out.waitsBetween(from, System.currentTimeMillis());
                Benchmarks.say(String.format("B9: %s stream into an open chat: longest UI-thread wait %d ms",
                        round == 0 ? "a warm-up" : "measured", worst(waits)));
                if (round > 0) {
                    streams.add(waits);
                }
                Thread.sleep(1000);
            }

            List<List<Long>> opens = new ArrayList<>();
            List<Long> openEditor = new ArrayList<>();
            for (String session : histories) {
                AttachedSession other = client.attach(gateway.localEndpoint(), session, "").get(60, TimeUnit.SECONDS);
                other.submit(String.valueOf(DELTAS)).get(30, TimeUnit.SECONDS);
                // its turn streams, and the Live view shows it working where it stays (about 2 s into the 5)
                out.awaitRowSettled(session, "working");
                long from = System.currentTimeMillis();
                out.doubleClickRow(session);
                out.awaitChat(session, state -> state.rows() == HISTORY + 2 && !state.running() && !state.rendering());
                List<Long> waits = out.waitsBetween(from, System.currentTimeMillis());
                boolean warmUp = session.equals(histories.get(0));
                Benchmarks.say(String.format("B9: %s 10,000-message session opened as it streams: longest UI-thread wait %d ms "
                        + "(the workbench's openEditor: %d ms)", warmUp ? "a warm-up" : "measured", worst(waits),
                        out.openingMillis(session)));
                if (!warmUp) {
                    opens.add(waits);
                    openEditor.add(out.openingMillis(session));
                }
                Thread.sleep(1000);
            }
            List<Long> medianStream = medianRun(streams);
            List<Long> medianOpen = medianRun(opens);
            long streamWorst = worst(medianStream);
            long openWorst = worst(medianOpen);
            charts.uiWaits(medianStream, medianOpen, GOAL_MS);
            return List.of(new Result("B9", WHAT, String.format("%d ms; %d ms (runs: %s; %s)", streamWorst, openWorst,
                    worsts(streams), worsts(opens)), GOAL, Math.max(streamWorst, openWorst) < GOAL_MS,
                    "the desktop product under Xvfb: a thread in it posts a tiny task to the UI thread every 10 ms and "
                            + "records how long each waited (collector pauses included); the chats opened by double-clicks "
                            + "(xdotool) on their Live rows, the turns (" + DELTAS + " deltas at " + DELTAS_PER_SECOND
                            + " a second) prompted from another device, a long session opened once its row shows it "
                            + "working (1 to 2 s into its turn: what has streamed so far comes with it); each the median "
                            + "of " + MEASURED + " after a warm-up, measured from the prompt or the double-click to the "
                            + "chat showing the turn's end. Opening a chat: the workbench's openEditor call, our editor's contents made "
                            + "in it, took " + openEditor.stream().map(String::valueOf).collect(java.util.stream.Collectors
                                    .joining(", ")) + " ms of the UI thread in one go, and painting the new editor "
                            + "follows it; the 10,000-message window is then laid out a slice (about 150 lines) at a time"));
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

    /** Of runs of waits, the one whose worst is the median. */
    private static List<Long> medianRun(List<List<Long>> runs) {
        List<List<Long>> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingLong(UiStallBench::worst));
        return sorted.get(sorted.size() / 2);
    }

    /** Each run's worst wait, in run order: "19, 25, 22". */
    private static String worsts(List<List<Long>> runs) {
        return String.join(", ", runs.stream().map(run -> String.valueOf(worst(run))).toList());
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

    /** A Live row as the product last said it: where its middle is on the screen, its activity, since when (nanoTime). */
    record Row(int x, int y, String activity, long since) {
    }

    /** What a chat said it shows. */
    record ChatState(int rows, boolean running, boolean rendering) {
    }

    /**
     * The product's output, read on a thread of its own: the Live rows' places, the chats' states and the UI
     * thread's waits, each as the product said it last.
     */
    private static final class ProductOutput {
        private static final Pattern ROW = Pattern.compile(
                "agentchannels-bench: live-row session=(\\S+) x=(-?\\d+) y=(-?\\d+) activity=(\\w+)");
        private static final Pattern CHAT = Pattern.compile(
                "agentchannels-bench: chat session=(\\S+) rows=(\\d+) running=(\\w+) rendering=(\\w+) time=\\d+");
        private static final Pattern OPENED = Pattern.compile("agentchannels-bench: chat-opened session=(\\S+) ms=(\\d+)");
        private static final Pattern WAIT = Pattern.compile("agentchannels-bench: ui-wait ms=(\\d+) time=(\\d+)");

        private final Process process;
        private final Thread reader;
        private final Map<String, Row> rows = new HashMap<>();
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
                rows.put(m.group(1), new Row(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), m.group(4),
                        System.nanoTime()));
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

        /**
         * Waits until the session's Live row shows {@code activity} and has stayed where it is for a second: the view
         * sorts its rows by activity and time, so a row moves when a record of it (or of another) changes.
         */
        synchronized void awaitRowSettled(String session, String activity) throws InterruptedException {
            await("the row of " + session + " to show " + activity + " and stay", () -> {
                Row row = rows.get(session);
                return row != null && row.activity().equals(activity) && System.nanoTime() - row.since() > 1_000_000_000L;
            });
        }

        /** Double-clicks the middle of the session's Live row, where the product last said it is. */
        void doubleClickRow(String session) throws IOException, InterruptedException {
            Row at;
            synchronized (this) {
                at = rows.get(session);
            }
            // then away to the corner of the screen (X keeps the pointer on it), off the window: a double-click where the
            // pointer already rests (after the last one, the rows sorted again under it) opened nothing, every time
            Process click = new ProcessBuilder("xdotool", "mousemove", "--sync", String.valueOf(at.x()), String.valueOf(at.y()),
                    "click", "--repeat", "2", "--delay", "80", "1", "mousemove", "10000", "10000").redirectErrorStream(true)
                    .start();
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
