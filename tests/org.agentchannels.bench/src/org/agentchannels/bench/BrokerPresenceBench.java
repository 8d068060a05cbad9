package org.agentchannels.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.core.DaemonThreads;
import org.agentchannels.core.Fingerprints;
import org.agentchannels.core.presence.LocalSessionRef;
import org.agentchannels.core.presence.PresenceFolder;
import org.agentchannels.core.presence.PresenceRecord;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.gateway.Gateway;
import org.agentchannels.gateway.GatewayOptions;
import org.agentchannels.gateway.agent.EchoAgent;
import org.agentchannels.presence.DefaultPresenceTracker;
import org.agentchannels.tests.support.Mosquitto;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.TimerPingSender;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import com.google.gson.JsonObject;

/**
 * B8 (issue 17): a team's presence on one broker. A real Mosquitto on loopback (tests.support's {@link Mosquitto});
 * 1,000 simulated gateways, each an MQTT 5 connection of its own (Paho, as the gateway's), with its liveness retained
 * and a Will that clears it, and 10 retained session records, on the topics, with the options and in the record shape
 * of the gateway's {@code BrokerPresence} and {@code PresencePublisher}, refreshed every 30 s as a gateway refreshes
 * them. Then a real gateway joins with {@code --presence-broker}, and a client asks it {@code session.presence_list}
 * over its WebSocket API through the connector, as the workbench and the CLI do: the time until it lists all
 * 10,000; status changes published on simulated gateways until that list shows them; the broker's and the
 * gateway's memory; and the derivation over the 10,000 records it listed against B3's goal.
 */
final class BrokerPresenceBench {

    static final int GATEWAYS = 1_000;
    static final int SESSIONS = 10;
    static final int RECORDS = GATEWAYS * SESSIONS;
    private static final String TEAM = "bench";
    private static final String PREFIX = "agentchannels/" + TEAM + "/";
    /** Simulated devices are named this and a number; the joining gateway is not. */
    private static final String DEVICE = "dev-";
    /** Gateways joining one after another, each fresh; the join time is their median. */
    private static final int JOINS = 3;
    private static final int CHANGES_PER_SECOND = 20;
    private static final int CHANGE_SECONDS = 15;
    /** A client's pause between one presence_list reply and its next ask. */
    private static final long POLL_PAUSE_MILLIS = 10;
    /** The gateway's defaults: QoS 1, a 30 s keepalive, a 30 s refresh. */
    private static final int QOS = 1;
    private static final int KEEPALIVE_SECONDS = 30;
    private static final long REFRESH_MILLIS = Gateway.PRESENCE_REFRESH.toMillis();
    private static final long WAIT_SECONDS = 120;
    /**
     * The broker's limits raised for the team: Mosquitto holds at most {@code max_queued_messages} (1,000 by default)
     * messages for a client beyond those in flight and drops the rest, so a gateway subscribing to a tree of 11,000
     * retained messages is sent about a thousand of them (its log says "Outgoing messages are being dropped"); with the
     * default, a joining gateway listed none of the 10,000 within 120 s (a record counts only with its gateway's liveness,
     * which was among those dropped and is not sent again). Everything else is Mosquitto's default (no connection or
     * memory limit).
     */
    static final List<String> BROKER_SETTINGS = List.of("max_queued_messages 100000");
    /** Connections opened at once: Paho waits 100 ms for each of its three threads to start, so a connect takes 0.3 s. */
    private static final int CONNECTING_AT_ONCE = 50;
    /**
     * Paho's own logger: a connection that ends reports itself SEVERE with Paho's internals; held here so that the
     * level set stays set, as BrokerPresence does.
     */
    private static final java.util.logging.Logger PAHO_LOG = java.util.logging.Logger.getLogger("org.eclipse.paho.mqttv5.client");

    static {
        PAHO_LOG.setLevel(java.util.logging.Level.OFF);
    }

    private final Benchmarks bench;
    private final Path home;
    /** Opened in this order, closed in the reverse one, whatever happens. */
    private final List<AutoCloseable> opened = new ArrayList<>();

    BrokerPresenceBench(Benchmarks bench, Path home) {
        this.bench = bench;
        this.home = home;
    }

    List<Benchmarks.Result> run() throws Exception {
        if (!Mosquitto.isInstalled()) {
            return List.of(new Benchmarks.Result("B8", "team presence: 1,000 gateways with 10 sessions each on one Mosquitto",
                    "not measured", "p99 < 250 ms", false, "needs Eclipse Mosquitto (" + Mosquitto.PROGRAM
                            + "); ./agentchannels installs the Debian package mosquitto"));
        }
        Benchmarks.say("B8: " + n(GATEWAYS) + " simulated gateways with " + SESSIONS + " sessions each on one Mosquitto");
        try {
            return measure();
        } finally {
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    opened.get(i).close();
                } catch (Exception e) {
                    // the next one is closed all the same, and the broker last of all
                }
            }
        }
    }

    private List<Benchmarks.Result> measure() throws Exception {
        Mosquitto broker = Mosquitto.start(home.resolve("b8-broker"), BROKER_SETTINGS);
        opened.add(broker);
        long emptyBrokerKb = residentKb(broker.pid());

        long heapBeforeTeam = heapAfterGc();
        int threadsBeforeTeam = ManagementFactory.getThreadMXBean().getThreadCount();
        SimulatedTeam team = new SimulatedTeam("tcp://127.0.0.1:" + broker.port());
        opened.add(team);
        double publishSeconds = team.connectAndPublish();
        team.startRefreshing();
        long teamHeap = heapAfterGc() - heapBeforeTeam;
        int teamThreads = ManagementFactory.getThreadMXBean().getThreadCount() - threadsBeforeTeam;
        Benchmarks.say(String.format("B8: %,d connections published %,d retained records and %,d liveness messages in %.1f s "
                + "(%,d threads, %,d MB of heap in this JVM)", GATEWAYS, RECORDS, GATEWAYS, publishSeconds, teamThreads,
                teamHeap >> 20));

        // fresh gateways join one after another; the last stays for the changes and the memory
        double[] joinSeconds = new double[JOINS];
        Join last = null;
        long heapBeforeGateway = 0;
        for (int i = 0; i < JOINS; i++) {
            if (i == JOINS - 1) {
                heapBeforeGateway = heapAfterGc();
            }
            Join join = join(broker.url(TEAM), i);
            if (join.listed < RECORDS) {
                return List.of(Benchmarks.Result.withoutGoal("B8", "team presence: a gateway joining lists all 10,000 sessions",
                        String.format("it listed %,d of %,d within %d s", join.listed, RECORDS, WAIT_SECONDS),
                        whatIsSimulated(team, publishSeconds, teamThreads, teamHeap)));
            }
            joinSeconds[i] = join.seconds;
            Benchmarks.say(String.format("B8: gateway %d of %d listed all %,d after %.2f s (its start took %.2f s; %d asks)", i + 1,
                    JOINS, RECORDS, join.seconds, join.startSeconds, join.polls));
            if (i < JOINS - 1) {
                join.close();
            } else {
                last = join;
            }
        }
        long gatewayHeap = heapAfterGc() - heapBeforeGateway;
        long loadedBrokerKb = residentKb(broker.pid());

        List<PresenceRecord> all = last.connection.presence().get(WAIT_SECONDS, TimeUnit.SECONDS);
        List<PresenceRecord> listed = all.stream().filter(r -> r.host().startsWith(DEVICE)).toList();
        // what one reply carries, against what a frame may (FrameCodec's bound, which the connector applies)
        int replyChars = PresenceRecord.listToJson(all).toString().length();

        Changes changes = changes(team, last.connection, replyChars);
        Benchmarks.say("B8: " + changes.summary() + "; " + changes.breakdown());
        // the derivation is the workbench's work, on records it holds: measured without the team's refreshes, which
        // the two cores here run for a thousand gateways that a team runs on machines of their own
        team.stopRefreshing();
        List<LocalSessionRef> locals = new ArrayList<>();
        for (int g = 0; g < GATEWAYS; g++) {
            // the first session of every gateway is a local row here too: a tenth of the records drop out, as in B3
            locals.add(new LocalSessionRef(SimulatedGateway.sessionId(g, 0), "", List.of()));
        }
        Benchmarks.Derivation derivation = Benchmarks.derivation(listed, locals, System.currentTimeMillis() / 1000.0);

        double[] sortedJoins = joinSeconds.clone();
        Arrays.sort(sortedJoins);
        double join = sortedJoins[JOINS / 2];
        String simulated = whatIsSimulated(team, publishSeconds, teamThreads, teamHeap);
        List<Benchmarks.Result> results = new ArrayList<>();
        results.add(Benchmarks.Result.withoutGoal("B8", "team presence: a gateway joining 1,000 gateways on one Mosquitto "
                + "lists all 10,000 sessions", String.format("%.2f s (joins from %.2f to %.2f s)", join, sortedJoins[0],
                        sortedJoins[JOINS - 1]), "median of " + JOINS + " fresh gateways joining one after another, each timed "
                                + "from its Gateway.start (its own start, TLS key included) to the first session.presence_list "
                                + "reply listing all 10,000, asked through the connector every " + POLL_PAUSE_MILLIS
                                + " ms after the previous reply; " + simulated));
        results.add(new Benchmarks.Result("B8", "team presence: a status change on one gateway to another gateway's "
                + "session.presence_list showing it", changes.summary(), "p99 < 250 ms", changes.p99Millis() < 250
                        && changes.unseen() == 0, changes.note()));
        results.add(Benchmarks.Result.withoutGoal("B8", "team presence: memory with 10,000 records", String.format(
                "broker %,d MB resident (%,d MB empty); the gateway %,d MB of heap", loadedBrokerKb >> 10, emptyBrokerKb >> 10,
                gatewayHeap >> 20), "the broker's VmRSS (/proc) just started and with the team's " + n(GATEWAYS)
                        + " connections, " + n(RECORDS + GATEWAYS) + " retained messages and the joined gateway's subscription; "
                        + "the gateway's: heap used after GC in this JVM with the gateway holding the 10,000 records, less "
                        + "the same just before it started (so its server, store and client connection count too)"));
        results.add(new Benchmarks.Result("B8", "team presence: derive the 10,000 records the gateway listed against "
                + "1,000 local rows", String.format("%.2f ms (%d sessions)", derivation.millis(), derivation.sessions()),
                "< 2 ms (B3's goal)", derivation.millis() < Benchmarks.DERIVATION_GOAL_MILLIS, "B3's measurement (" + Benchmarks.DERIVATION_METHOD
                        + ") over the records of the gateway's "
                        + "session.presence_list as the connector read them: " + n(GATEWAYS) + " endpoints, the first session of "
                        + "each a local row; with the simulated team's refreshes stopped, as the workbench that derives does not "
                        + "share its cores with a thousand gateways"));
        return results;
    }

    /** A count as the table writes it: 1,000. */
    private static String n(long count) {
        return String.format("%,d", count);
    }

    private static String whatIsSimulated(SimulatedTeam team, double publishSeconds, int threads, long heap) {
        return "simulated: " + n(GATEWAYS) + " gateways, each its own MQTT 5 connection (Paho, clean start, " + KEEPALIVE_SECONDS
                + " s keepalive, a Will clearing its liveness) with its liveness and " + SESSIONS + " session records "
                + "retained at QoS 1 on the gateway's topics and in its record shape (" + team.gateway(0).recordBytes()
                + " bytes a record, expiring after 90 s, "
                + "refreshed every 30 s, " + (RECORDS * 1000 / REFRESH_MILLIS) + " a second across the team); they published "
                + "in " + String.format("%.1f s", publishSeconds) + " and took " + n(threads) + " threads and "
                + (heap >> 20) + " MB of heap in the bench's JVM, beside the real gateway; the broker is Mosquitto "
                + "with its defaults but " + String.join(", ", BROKER_SETTINGS) + " (its default of 1,000 drops most of the "
                + "retained tree a joining gateway is sent)";
    }

    // ------------------------------------------------------------------ joining

    /** A real gateway that joined the team, its client's connection, and how long it took to list everyone. */
    private final class Join implements AutoCloseable {
        final Gateway gateway;
        final StandaloneGatewayConnector client;
        GatewayConnection connection;
        double seconds;
        double startSeconds;
        int polls;
        int listed;

        Join(Gateway gateway, StandaloneGatewayConnector client) {
            this.gateway = gateway;
            this.client = client;
        }

        @Override
        public void close() {
            opened.remove(this);
            client.close(); // before its gateway: a connection whose gateway left would dial it again
            gateway.close();
        }
    }

    private Join join(String url, int i) throws Exception {
        String name = "b8-joiner-" + i;
        long t0 = System.nanoTime();
        Gateway gateway = Gateway.start(GatewayOptions.parse(List.of("--port", "0", "--device-name", name, "--presence-dir",
                home.resolve("b8-presence").toString(), "--presence-broker", url), home.resolve(name)),
                new EchoAgent(name, 0), () -> name, Clock.systemUTC());
        long started = System.nanoTime();
        Join join = new Join(gateway, bench.connector(gateway, "b8-viewer"));
        opened.add(join);
        join.startSeconds = (started - t0) / 1e9;
        join.connection = join.client.ensureGatewayForEndpoint(gateway.localEndpoint()).get(30, TimeUnit.SECONDS);
        long deadline = t0 + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() - deadline < 0) {
            List<PresenceRecord> records = join.connection.presence().get(WAIT_SECONDS, TimeUnit.SECONDS);
            long replied = System.nanoTime();
            join.polls++;
            join.listed = (int) records.stream().filter(r -> r.host().startsWith(DEVICE)).count();
            if (join.listed >= RECORDS) {
                join.seconds = (replied - t0) / 1e9;
                break;
            }
            Thread.sleep(POLL_PAUSE_MILLIS);
        }
        return join;
    }

    // ------------------------------------------------------------------ status changes

    /** One status change of one simulated session, and when it was published, listed, and delivered by the broker. */
    static final class Change {
        final String sessionId;
        final String status;
        final double updatedAt;
        volatile long published;
        volatile long listed = -1;
        volatile long delivered = -1;

        Change(String sessionId, String status, double updatedAt) {
            this.sessionId = sessionId;
            this.status = status;
            this.updatedAt = updatedAt;
        }

        /** Whether this record is this change or a later refresh of it. */
        boolean shownBy(PresenceRecord r) {
            return r.status().equals(status) && r.updatedAt() >= updatedAt;
        }
    }

    /** What the changes showed. */
    private record Changes(long[] listed, long[] delivered, long[] replies, int replyChars, int published, int unseen) {

        double p99Millis() {
            return Benchmarks.percentile(listed, 0.99) / 1e6;
        }

        String summary() {
            return String.format("p50 %.0f ms, p99 %.0f ms, max %.0f ms%s", Benchmarks.percentile(listed, 0.5) / 1e6, p99Millis(),
                    listed.length == 0 ? 0 : listed[listed.length - 1] / 1e6,
                    unseen == 0 ? "" : String.format("; %d of %d never listed", unseen, published));
        }

        /** How long one ask for what changed took, how large the whole list is, and the broker's share of a change's way. */
        String breakdown() {
            return String.format("the whole list of 10,000 records is %.1f million characters of JSON (of the %.1f million a "
                    + "frame may hold), sent once to a client that joins; an ask for what changed since the list it holds "
                    + "took %.1f ms (median; p99 %.1f ms); the broker alone (publish to a plain subscriber's callback) "
                    + "p50 %.1f ms, p99 %.1f ms", replyChars / 1e6, FrameCodec.DEFAULT_MAX_FRAME_CHARS / 1e6,
                    Benchmarks.percentile(replies, 0.5) / 1e6,
                    Benchmarks.percentile(replies, 0.99) / 1e6, Benchmarks.percentile(delivered, 0.5) / 1e6,
                    Benchmarks.percentile(delivered, 0.99) / 1e6);
        }

        String note() {
            return String.format("%d changes (%d a second for %d s, each on another simulated gateway, published as a gateway "
                    + "publishes a status change: the record again, retained, with the new status) timed from the publish to "
                    + "the first session.presence_list reply of the joined gateway showing it; its client asks again and "
                    + "again, %d ms after each reply (the workbench's tracker asks every %d s), each time for what changed "
                    + "since the list it holds, and these figures include the wait for the next ask and its reply: %s", published,
                    CHANGES_PER_SECOND, CHANGE_SECONDS, POLL_PAUSE_MILLIS,
                    DefaultPresenceTracker.POLL_INTERVAL.toSeconds(), breakdown());
        }
    }

    /**
     * Publishes {@value #CHANGES_PER_SECOND} status changes a second for {@value #CHANGE_SECONDS} s, each on another
     * simulated gateway, while a client of the joined gateway asks its presence list again and again, and a plain
     * subscriber (retained messages not replayed) notes when the broker delivers each.
     */
    private Changes changes(SimulatedTeam team, GatewayConnection connection, int replyChars) throws Exception {
        int n = CHANGES_PER_SECOND * CHANGE_SECONDS;
        Benchmarks.say("B8: " + n + " status changes at " + CHANGES_PER_SECOND + "/s, each until the joined gateway lists it");
        Map<String, Change> waiting = new ConcurrentHashMap<>();
        Map<String, Change> undelivered = new ConcurrentHashMap<>();
        List<Change> all = new ArrayList<>();
        MqttAsyncClient observer = observer(team.serverUri, undelivered);
        List<Long> replies = new ArrayList<>();
        AtomicInteger pollFailures = new AtomicInteger();
        stopPolling = false;
        Thread poller = new Thread(() -> {
            while (!stopPolling) {
                try {
                    long asked = System.nanoTime();
                    List<PresenceRecord> records = connection.presence().get(WAIT_SECONDS, TimeUnit.SECONDS);
                    long replied = System.nanoTime();
                    replies.add(replied - asked);
                    if (!waiting.isEmpty()) {
                        for (PresenceRecord r : records) {
                            Change c = waiting.get(r.sessionId());
                            if (c != null && c.shownBy(r)) {
                                c.listed = replied - c.published;
                                waiting.remove(r.sessionId());
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    pollFailures.incrementAndGet(); // said after the changes
                }
                try {
                    Thread.sleep(POLL_PAUSE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "b8-presence-list");
        poller.start();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("b8-changes"));
        try {
            AtomicInteger next = new AtomicInteger();
            Future<?> ticks = ticker.scheduleAtFixedRate(() -> {
                int i = next.getAndIncrement();
                if (i >= n) {
                    return;
                }
                // 37 is prime to 1,000: every change is on another gateway; the session varies too
                Change c = team.gateway((i * 37) % GATEWAYS).change(i % SESSIONS, waiting, undelivered);
                synchronized (all) {
                    all.add(c);
                }
            }, 0, 1000 / CHANGES_PER_SECOND, TimeUnit.MILLISECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHANGE_SECONDS + 30);
            while ((next.get() < n || !waiting.isEmpty()) && System.nanoTime() - deadline < 0) {
                Thread.sleep(50);
            }
            ticks.cancel(false);
        } finally {
            ticker.shutdownNow();
            stopPolling = true;
            poller.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            closeQuietly(observer);
        }
        List<Change> changes;
        synchronized (all) {
            changes = List.copyOf(all);
        }
        long[] listed = changes.stream().mapToLong(c -> c.listed).filter(v -> v >= 0).sorted().toArray();
        long[] delivered = changes.stream().mapToLong(c -> c.delivered).filter(v -> v >= 0).sorted().toArray();
        long[] replyTimes = replies.stream().mapToLong(Long::longValue).sorted().toArray(); // the poller has ended
        if (pollFailures.get() > 0) {
            Benchmarks.say("B8: " + pollFailures.get() + " presence_list asks got no answer");
        }
        return new Changes(listed, delivered, replyTimes, replyChars, changes.size(), changes.size() - listed.length);
    }

    /** Tells the changes' poller to stop after its current ask. */
    private volatile boolean stopPolling;

    /** A plain subscriber to the team's records that is sent no retained message, only what is published from now. */
    private static MqttAsyncClient observer(String serverUri, Map<String, Change> undelivered) throws MqttException {
        MqttAsyncClient observer = new MqttAsyncClient(serverUri, "b8-observer", new MemoryPersistence());
        observer.setCallback(new Quiet() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                long now = System.nanoTime();
                String sessionId = topic.substring(topic.lastIndexOf('/') + 1);
                Change c = undelivered.get(sessionId);
                if (c == null) {
                    return;
                }
                PresenceRecord.parse(new String(message.getPayload(), StandardCharsets.UTF_8)).filter(c::shownBy)
                        .ifPresent(r -> {
                            c.delivered = now - c.published;
                            undelivered.remove(sessionId);
                        });
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        try {
            observer.connect(options).waitForCompletion(TimeUnit.SECONDS.toMillis(30));
            MqttSubscription records = new MqttSubscription(PREFIX + "presence/#", QOS);
            records.setRetainHandling(2); // not the 10,000 retained: only what changes from now on
            observer.subscribe(new MqttSubscription[] { records }, null, null, new MqttProperties())
                    .waitForCompletion(TimeUnit.SECONDS.toMillis(30));
            return observer;
        } catch (MqttException | RuntimeException e) {
            closeQuietly(observer);
            throw e;
        }
    }

    // ------------------------------------------------------------------ the simulated team

    /** The 1,000 simulated gateways, their connections, and the timer that refreshes their records. */
    private static final class SimulatedTeam implements AutoCloseable {
        final String serverUri;
        private final List<SimulatedGateway> gateways = new ArrayList<>();
        /** Paho's keepalive pings for every connection, as a gateway's BrokerPresence has its own. */
        private final ScheduledExecutorService pings = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("b8-pings"));
        private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("b8-refresh"));
        private final ExecutorService connecting = Executors.newFixedThreadPool(CONNECTING_AT_ONCE, DaemonThreads.named("b8-connect"));
        private final AtomicInteger failures = new AtomicInteger();
        private volatile String firstFailure = "";

        SimulatedTeam(String serverUri) {
            this.serverUri = serverUri;
            String storedAt = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss"));
            double now = System.currentTimeMillis() / 1000.0;
            for (int g = 0; g < GATEWAYS; g++) {
                gateways.add(new SimulatedGateway(g, storedAt, now));
            }
        }

        SimulatedGateway gateway(int g) {
            return gateways.get(g);
        }

        /** Connects every gateway and publishes its records and liveness, CONNECTING_AT_ONCE at a time; the seconds it took. */
        double connectAndPublish() throws Exception {
            long t0 = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (SimulatedGateway g : gateways) {
                done.add(connecting.submit(() -> {
                    g.connect(serverUri, pings);
                    g.publishAll(System.currentTimeMillis() / 1000.0);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
            return (System.nanoTime() - t0) / 1e9;
        }

        /** Every gateway's records written again once a refresh period, the gateways spread evenly over it. */
        void startRefreshing() {
            AtomicInteger next = new AtomicInteger();
            long every = REFRESH_MILLIS * 1000 / GATEWAYS; // microseconds
            refresher.scheduleAtFixedRate(() -> {
                try {
                    gateways.get(next.getAndIncrement() % GATEWAYS).refresh(System.currentTimeMillis() / 1000.0);
                } catch (Exception e) {
                    // a refresh missed: counted and said at the end, never the end of the timer
                    if (failures.getAndIncrement() == 0) {
                        firstFailure = e.toString();
                    }
                }
            }, every, every, TimeUnit.MICROSECONDS);
        }

        /** No more refreshes; the connections stay. */
        void stopRefreshing() throws InterruptedException {
            refresher.shutdownNow();
            refresher.awaitTermination(10, TimeUnit.SECONDS);
        }

        /** Every connection closed cleanly (no Will fires; the broker stops next). */
        @Override
        public void close() throws Exception {
            stopRefreshing();
            List<Future<?>> done = new ArrayList<>();
            for (SimulatedGateway g : gateways) {
                done.add(connecting.submit(g::disconnect));
            }
            for (Future<?> f : done) {
                try {
                    f.get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // it goes with the broker
                }
            }
            connecting.shutdownNow();
            pings.shutdownNow();
            if (failures.get() > 0) {
                Benchmarks.say("B8: " + failures.get() + " refreshes of simulated gateways failed, the first with " + firstFailure);
            }
        }
    }

    /**
     * One simulated gateway: its own MQTT connection, its liveness with a Will, and its sessions' records, published as
     * the gateway's BrokerPresence publishes them (the records first, the liveness last).
     */
    static final class SimulatedGateway {
        private final int index;
        private final String device;
        private final String instanceId;
        private final long pid;
        private final String endpoint;
        private final String fingerprint;
        private final String livenessTopic;
        private final String recordTopics;
        private final JsonObject liveness = new JsonObject();
        private final String[] storedIds = new String[SESSIONS];
        // guarded by this
        private final PresenceRecord[] records = new PresenceRecord[SESSIONS];
        private MqttAsyncClient client;

        SimulatedGateway(int g, String storedAt, double now) {
            this.index = g;
            this.device = String.format(DEVICE + "%04d", g);
            this.pid = 10_000 + g;
            this.instanceId = PresenceFolder.instanceId(device, pid);
            // BrokerPresence's instance level: the instance_id and a random part for this start (the names here are safe
            // topic levels already, which its level() would leave as they are)
            String instance = instanceId + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
            this.livenessTopic = PREFIX + "gateways/" + instance;
            this.recordTopics = PREFIX + "presence/" + device + "/" + instance + "/";
            this.endpoint = "ws://10.0." + (g / 250) + "." + (g % 250 + 1) + ":8664/api/ws";
            this.fingerprint = Fingerprints.of(device.getBytes(StandardCharsets.UTF_8));
            liveness.addProperty("instance_id", instanceId);
            liveness.addProperty("host", device);
            liveness.addProperty("endpoint", endpoint);
            liveness.addProperty("started_at", now);
            for (int s = 0; s < SESSIONS; s++) {
                storedIds[s] = storedAt + "_" + String.format("%06x", g * SESSIONS + s);
                records[s] = record(s, s % 3 == 0 ? "working" : "idle", now);
            }
        }

        /** Eight hex characters as the gateway's runtime ids, unique across the team. */
        static String sessionId(int g, int s) {
            return String.format("%08x", 0x5e000000 + g * SESSIONS + s);
        }

        /** A record with the fields the gateway's PresencePublisher writes. */
        private PresenceRecord record(int s, String status, double now) {
            return new PresenceRecord(1, sessionId(index, s), storedIds[s], status, "Session " + s + " on " + device, "acp:opencode",
                    "", "agentchannels", "gateway", "default", endpoint, device, pid, instanceId, now,
                    now + PresenceRecord.DEFAULT_TTL_SECONDS, 12 + s, null, fingerprint);
        }

        /** Connects with the options of the gateway's BrokerPresence. */
        synchronized void connect(String serverUri, ScheduledExecutorService pings) throws MqttException {
            client = new MqttAsyncClient(serverUri, livenessTopic.substring(livenessTopic.lastIndexOf('/') + 1),
                    new MemoryPersistence(), new TimerPingSender(pings), null);
            client.setCallback(new Quiet());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            options.setSessionExpiryInterval(0L);
            options.setKeepAliveInterval(KEEPALIVE_SECONDS);
            options.setConnectionTimeout(10);
            options.setAutomaticReconnect(false);
            options.setWill(livenessTopic, new MqttMessage(new byte[0], QOS, true, new MqttProperties()));
            client.connect(options).waitForCompletion(TimeUnit.SECONDS.toMillis(30));
        }

        /** The records, then the liveness, as a gateway publishes everything when it connects. */
        synchronized void publishAll(double now) throws MqttException {
            List<IMqttToken> tokens = new ArrayList<>();
            for (int s = 0; s < SESSIONS; s++) {
                records[s] = record(s, records[s].status(), now);
                tokens.add(publish(recordTopics + records[s].sessionId(), records[s]));
            }
            tokens.add(client.publish(livenessTopic, new MqttMessage(liveness.toString().getBytes(StandardCharsets.UTF_8), QOS,
                    true, new MqttProperties())));
            await(tokens);
        }

        /**
         * Every record written again with a fresh time, as the gateway's refresh does; not awaited (as the gateway does
         * not): the next refresh of this connection is a refresh period away, its window of messages in flight empty.
         */
        synchronized void refresh(double now) throws MqttException {
            for (int s = 0; s < SESSIONS; s++) {
                records[s] = record(s, records[s].status(), now);
                publish(recordTopics + records[s].sessionId(), records[s]);
            }
        }

        /** Session {@code s}'s record again with another status, timed from its publishing. */
        synchronized Change change(int s, Map<String, Change> waiting, Map<String, Change> undelivered) {
            double now = System.currentTimeMillis() / 1000.0;
            PresenceRecord changed = record(s, records[s].status().equals("working") ? "idle" : "working", now);
            records[s] = changed;
            Change c = new Change(changed.sessionId(), changed.status(), changed.updatedAt());
            waiting.put(c.sessionId, c);
            undelivered.put(c.sessionId, c);
            c.published = System.nanoTime();
            try {
                publish(recordTopics + changed.sessionId(), changed);
            } catch (MqttException e) {
                waiting.remove(c.sessionId);
                undelivered.remove(c.sessionId); // counted as never listed
            }
            return c;
        }

        /** The size of one of its records as published. */
        synchronized int recordBytes() {
            return payload(records[0]).length;
        }

        private static byte[] payload(PresenceRecord record) {
            return record.toJson().toString().getBytes(StandardCharsets.UTF_8);
        }

        private IMqttToken publish(String topic, PresenceRecord record) throws MqttException {
            MqttProperties properties = new MqttProperties();
            properties.setMessageExpiryInterval((long) PresenceRecord.DEFAULT_TTL_SECONDS);
            return client.publish(topic, new MqttMessage(payload(record), QOS, true, properties));
        }

        private static void await(List<IMqttToken> tokens) throws MqttException {
            for (IMqttToken t : tokens) {
                t.waitForCompletion(TimeUnit.SECONDS.toMillis(30));
            }
        }

        synchronized void disconnect() {
            closeQuietly(client);
        }
    }

    private static void closeQuietly(MqttAsyncClient client) {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnect(0).waitForCompletion(5_000);
            }
        } catch (MqttException | RuntimeException e) {
            // the broker went first
        }
        try {
            client.close(true);
        } catch (MqttException | RuntimeException e) {
            // closed
        }
    }

    /** Paho's callbacks, of which the simulated gateways need none. */
    private static class Quiet implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
            // at the end only
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            // nothing is done with errors here: a change never listed is counted as such
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            // the simulated gateways subscribe to nothing
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // tokens are awaited where it matters
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            // the connect's token is awaited
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // no enhanced authentication
        }
    }

    // ------------------------------------------------------------------ memory

    /** A process's resident set from {@code /proc/<pid>/status} (VmRSS), in kB; -1 when it cannot be read. */
    static long residentKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    /** The heap in use after a few full collections, in bytes. */
    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
