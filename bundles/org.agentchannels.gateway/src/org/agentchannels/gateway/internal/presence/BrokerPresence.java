package org.agentchannels.gateway.internal.presence;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.agentchannels.core.Backoff;
import org.agentchannels.core.DaemonThreads;
import org.agentchannels.core.presence.PresenceRecord;
import org.agentchannels.gateway.GatewayOptions.PresenceBroker;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.TimerPingSender;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import com.google.gson.JsonObject;

/**
 * A team's MQTT 5 broker as a {@link PresenceStore}. This gateway's records are retained at
 * {@code agentchannels/<team>/presence/<device>/<gateway-instance>/<session>} (the instance: the records'
 * {@code instance_id} and a random part for this start) with the record's lifetime as their
 * message expiry, and its liveness at {@code agentchannels/<team>/gateways/<gateway-instance>}, which the broker
 * clears (the connection's Will: retained, empty) when the connection dies; a clean stop clears both itself.
 *
 * <p>It reads the team's tree ({@code agentchannels/<team>/#}) into a bounded map by topic and lists the records of
 * the gateways whose liveness is there: a gateway gone leaves every list with all its sessions at once. Payloads
 * that are no record, or a record whose {@code host} is not its topic's device, are skipped and named once in the
 * log, as broken presence files are. Topics outside the team's prefix are never read. Records read are dropped
 * once past their lifetime even when no message says so (a broker lets retained messages expire silently).
 *
 * <p>The broker may be down: the gateway works without it, saying so once; the connection is retried with
 * {@link Backoff}, and on every (re)connect this gateway's liveness and records are published again and the
 * team's tree is read afresh (what died meanwhile is no longer retained).
 */
public final class BrokerPresence implements PresenceStore {

    private static final System.Logger LOG = System.getLogger(BrokerPresence.class.getName());
    /**
     * Paho's own logger: it reports a lost connection as SEVERE with its internals (nanosecond counters), which this
     * class says once in a sentence of its own; held here so the level set stays set.
     */
    private static final java.util.logging.Logger PAHO_LOG = java.util.logging.Logger.getLogger("org.eclipse.paho.mqttv5.client");

    static {
        PAHO_LOG.setLevel(java.util.logging.Level.OFF);
    }

    /** A record is a few hundred bytes; a payload this large is not one and is not read. */
    public static final int MAX_PAYLOAD_BYTES = 16 * 1024;
    /** The most records kept from the broker: a team's thousands of sessions, not a flood's millions. */
    public static final int MAX_RECORDS = 20_000;
    /** Problems named in the log, at most: each topic once, and not without end. */
    private static final int MAX_NAMED = 1_000;
    private static final int QOS = 1;
    private static final long STOP_TIMEOUT_MILLIS = 5_000;
    private static final int CONNECT_TIMEOUT_SECONDS = 10;

    private final PresenceBroker broker;
    private final String prefix;
    private final String instance;
    private final String livenessTopic;
    private final String devicePath;
    private final JsonObject liveness;
    private final Backoff backoff;
    private final Clock clock;
    private final ScheduledExecutorService retries = Executors
            .newSingleThreadScheduledExecutor(DaemonThreads.named("agentchannels-gateway-broker"));
    /** Paho's keepalive pings; its other threads it starts itself, daemons as the thread that connects. */
    private final ScheduledExecutorService pings = Executors
            .newSingleThreadScheduledExecutor(DaemonThreads.named("agentchannels-gateway-broker-ping"));
    private final String serverUri;
    /**
     * TLS trusting the team's authorities only and/or the pinned key ({@link BrokerTrust}), for {@code mqtts://}
     * with a CA file or a fingerprint; else {@code null}.
     */
    private final javax.net.SocketFactory socketFactory;
    private final String clientId;

    /**
     * Held (before this) from taking what to publish until it is handed to Paho, so that a record written while a
     * reconnect publishes everything is never overtaken by its older version.
     */
    private final Object publishing = new Object();
    // guarded by this
    private final Map<String, PresenceRecord> own = new LinkedHashMap<>();
    private final Set<String> ownToClear = new LinkedHashSet<>();
    private final Map<String, Heard> heard = new HashMap<>();
    private final Set<String> liveGateways = new HashSet<>();
    private final Set<String> named = new HashSet<>();
    /** The client of the current attempt: each attempt has a new one, so no state of a dead connection lingers. */
    private MqttAsyncClient client;
    /** Counts attempts; what Paho reports about an attempt that is no longer the current one is ignored. */
    private long generation;
    private boolean connected;
    private boolean stopping;
    private int attempt;
    private boolean saidUnreachable;
    private boolean saidFull;

    /** A record read from the broker, and the gateway instance its topic names. */
    private record Heard(String instance, PresenceRecord record) {
    }

    /**
     * Starts connecting at once, in the background: this returns without waiting for the broker.
     *
     * @param device this gateway's device name, a level of its records' topics
     * @param instanceId this gateway process's {@code instance_id}, as its records carry it
     * @param endpoint what other devices dial, said in the liveness message too
     * @param prunePeriod how often the records read are checked against {@code clock} for expiry (the gateway's
     *        presence refresh, 30 s; tests shorten it): the broker lets a retained record expire without a word
     */
    public BrokerPresence(PresenceBroker broker, String device, String instanceId, String endpoint, Clock clock,
            Backoff backoff, Duration prunePeriod) throws java.io.IOException {
        this.broker = broker;
        this.backoff = backoff;
        this.clock = clock;
        this.prefix = "agentchannels/" + broker.team() + "/";
        // the instance_id (host and pid) and a random part: a gateway restarted in a container has the same host
        // and pid, and the Will of its dead predecessor, fired late, must not clear the new one's liveness
        String startId = Long.toHexString(Double.doubleToLongBits(Math.random()) & 0xffffffL);
        this.instance = level(instanceId) + "-" + startId;
        this.livenessTopic = prefix + "gateways/" + instance;
        this.devicePath = prefix + "presence/" + level(device) + "/" + instance + "/";
        this.liveness = new JsonObject();
        liveness.addProperty("instance_id", instanceId);
        liveness.addProperty("host", device);
        liveness.addProperty("endpoint", endpoint);
        liveness.addProperty("started_at", clock.millis() / 1000.0);
        // one client per gateway start (a broker drops the older of two connections with one client id), named as
        // its liveness topic's last level, so that a broker's ACL can let each client write its own liveness only
        // (Mosquitto: pattern write agentchannels/TEAM/gateways/%c)
        this.clientId = instance;
        String host = broker.host().contains(":") ? "[" + broker.host() + "]" : broker.host();
        this.serverUri = (broker.tls() ? "ssl://" : "tcp://") + host + ":" + broker.port();
        this.socketFactory = BrokerTrust.socketFactory(broker.caFile(), broker.fingerprint());
        retries.execute(this::connect);
        retries.scheduleWithFixedDelay(this::forgetExpired, prunePeriod.toMillis(), prunePeriod.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Drops the records read that expired: the broker lets a retained record expire without a word to those
     * who hold it, and a record whose gateway's liveness was gone before this gateway subscribed is never listed
     * and never cleared either.
     */
    private synchronized void forgetExpired() {
        double now = clock.millis() / 1000.0;
        heard.values().removeIf(h -> h.record().isExpired(now) || !h.record().isCredible(now));
    }

    /** The topic level of a name: MQTT's separators and wildcards ({@code / + #}) and the like become {@code _}. */
    static String level(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() ? "_" : safe;
    }

    @Override
    public String describe() {
        return "the presence broker " + broker.url();
    }

    // on the retry thread
    private void connect() {
        MqttAsyncClient previous;
        MqttAsyncClient next;
        long g;
        try {
            next = new MqttAsyncClient(serverUri, clientId, new MemoryPersistence(), new TimerPingSender(pings), null);
        } catch (MqttException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot make an MQTT client for " + broker.url() + ": " + e);
            return;
        }
        synchronized (this) {
            if (stopping) {
                return;
            }
            g = ++generation;
            previous = client;
            client = next;
        }
        discard(previous);
        next.setCallback(new Callback(g));
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setSessionExpiryInterval(0L);
        options.setKeepAliveInterval(broker.keepAliveSeconds());
        options.setConnectionTimeout(CONNECT_TIMEOUT_SECONDS);
        options.setAutomaticReconnect(false); // our Backoff, and a fresh read of the tree after each connect
        if (!broker.user().isEmpty()) {
            options.setUserName(broker.user());
        }
        if (!broker.password().isEmpty()) {
            options.setPassword(broker.password().getBytes(StandardCharsets.UTF_8));
        }
        if (broker.tls()) {
            // the certificate must name the URL's host, unless a pin alone says which broker this is
            options.setHttpsHostnameVerificationEnabled(BrokerTrust.checksHostName(broker.caFile(), broker.fingerprint()));
            if (socketFactory != null) {
                options.setSocketFactory(socketFactory);
            }
        }
        // the broker clears this gateway's liveness when the connection dies without a clean disconnect
        options.setWill(livenessTopic, new MqttMessage(new byte[0], QOS, true, new MqttProperties()));
        try {
            next.connect(options, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    connected(g);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    retry(g, failure);
                }
            });
        } catch (MqttException | RuntimeException e) {
            retry(g, e);
            return;
        }
        // Paho's connection timeout covers the TCP connect only: a broker that takes the socket and never answers
        // would leave the attempt waiting for good
        retries.schedule(() -> {
            synchronized (this) {
                if (g != generation || connected) {
                    return;
                }
            }
            retry(g, new java.util.concurrent.TimeoutException("no answer to CONNECT within "
                    + (CONNECT_TIMEOUT_SECONDS + broker.keepAliveSeconds()) + " s"));
        }, CONNECT_TIMEOUT_SECONDS + broker.keepAliveSeconds(), TimeUnit.SECONDS);
    }

    /** Closes a client of an attempt given up, without waiting for a broker that may not answer. */
    private static void discard(MqttAsyncClient old) {
        if (old == null) {
            return;
        }
        try {
            old.disconnectForcibly(0, 0, false);
        } catch (MqttException | RuntimeException e) {
            // not connected
        }
        try {
            old.close(true);
        } catch (MqttException | RuntimeException e) {
            // closed
        }
    }

    // on a Paho thread
    private void connected(long g) {
        synchronized (publishing) {
            publishEverything(g);
        }
    }

    private void publishEverything(long g) {
        List<Map.Entry<String, byte[]>> toPublish = new ArrayList<>();
        MqttAsyncClient c;
        synchronized (this) {
            if (stopping || g != generation) {
                return;
            }
            c = client;
            connected = true;
            attempt = 0;
            saidUnreachable = false;
            // read afresh: what died while this gateway was away is no longer retained, so no message would say so
            heard.clear();
            liveGateways.clear();
            saidFull = false;
            // the records of sessions that ended meanwhile cleared first, the liveness last: no reader lists a stale
            // record of this gateway in between
            for (String session : ownToClear) {
                toPublish.add(Map.entry(devicePath + session, new byte[0]));
            }
            ownToClear.clear();
            for (Map.Entry<String, PresenceRecord> e : own.entrySet()) {
                toPublish.add(Map.entry(devicePath + e.getKey(), payload(e.getValue())));
            }
            toPublish.add(Map.entry(livenessTopic, liveness.toString().getBytes(StandardCharsets.UTF_8)));
        }
        LOG.log(System.Logger.Level.INFO, "connected to the presence broker " + broker.url());
        try {
            c.subscribe(prefix + "#", QOS);
        } catch (MqttException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the presence broker " + broker.url() + " took no subscription: " + e);
            lost(g, e);
            return;
        }
        for (Map.Entry<String, byte[]> e : toPublish) {
            publish(c, e.getKey(), e.getValue(), expiryOf(e.getKey()));
        }
    }

    /** A record's message expiry: its lifetime; the liveness and the clearing messages have none. */
    private Long expiryOf(String topic) {
        return topic.equals(livenessTopic) ? null : (long) PresenceRecord.DEFAULT_TTL_SECONDS;
    }

    /** Attempt {@code g} failed (or is given up): the next one after a backoff, said once per streak. */
    private void retry(long g, Throwable failure) {
        boolean say;
        long delay;
        synchronized (this) {
            if (stopping || g != generation) {
                return; // an attempt already replaced
            }
            generation++; // whatever else Paho reports of this attempt is stale now
            connected = false;
            say = !saidUnreachable;
            saidUnreachable = true;
            delay = backoff.delayMillis(++attempt);
        }
        if (say) { // once per streak of failures: the retries say nothing more until one succeeds
            LOG.log(System.Logger.Level.WARNING, "cannot connect to the presence broker " + broker.url() + " (" + reason(failure)
                    + "); the gateway runs on, with the presence folder, and retries the broker with backoff");
        }
        retries.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /** The connection of attempt {@code g} died: said once, and reconnected after a short backoff. */
    private void lost(long g, Throwable cause) {
        synchronized (this) {
            if (stopping || g != generation) {
                return;
            }
            generation++; // lost before its success was handled too: no later report of it counts
            connected = false;
            saidUnreachable = true; // said here: the retries' failures say nothing more
        }
        LOG.log(System.Logger.Level.WARNING, "lost the presence broker " + broker.url()
                + (cause == null ? "" : " (" + reason(cause) + ")") + "; reconnecting with backoff");
        retries.schedule(this::connect, backoff.delayMillis(1), TimeUnit.MILLISECONDS);
    }

    private static String reason(Throwable failure) {
        if (failure == null) {
            return "no reason given";
        }
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    private static byte[] payload(PresenceRecord record) {
        return record.toJson().toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Publishes retained at QoS 1; a failure leaves the message to the next refresh or reconnect. */
    private static IMqttToken publish(MqttAsyncClient c, String topic, byte[] payload, Long expirySeconds) {
        MqttProperties properties = new MqttProperties();
        if (expirySeconds != null && payload.length > 0) {
            properties.setMessageExpiryInterval(expirySeconds);
        }
        try {
            return c.publish(topic, new MqttMessage(payload, QOS, true, properties));
        } catch (MqttException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "publishing " + topic + " failed: " + e);
            return null;
        }
    }

    @Override
    public void write(String instanceId, PresenceRecord record) {
        synchronized (publishing) {
            publishRecord(record);
        }
    }

    private void publishRecord(PresenceRecord record) {
        String session = level(record.sessionId());
        MqttAsyncClient now;
        synchronized (this) {
            own.put(session, record);
            ownToClear.remove(session);
            now = connected ? client : null;
        }
        if (now != null) {
            publish(now, devicePath + session, payload(record), (long) PresenceRecord.DEFAULT_TTL_SECONDS);
        }
    }

    @Override
    public void delete(String instanceId, String sessionId) {
        synchronized (publishing) {
            clearRecord(sessionId);
        }
    }

    private void clearRecord(String sessionId) {
        String session = level(sessionId);
        MqttAsyncClient now;
        synchronized (this) {
            if (own.remove(session) == null && !connected) {
                return;
            }
            now = connected ? client : null;
            if (now == null) {
                ownToClear.add(session); // cleared on the next connect: a retained record outlives its session
            }
        }
        if (now != null) {
            publish(now, devicePath + session, new byte[0], null);
        }
    }

    @Override
    public synchronized List<PresenceRecord> read() {
        List<PresenceRecord> out = new ArrayList<>();
        for (Heard h : heard.values()) {
            if (liveGateways.contains(h.instance())) {
                out.add(h.record());
            }
        }
        return out;
    }

    // on Paho's callback thread
    private void arrived(String topic, byte[] payload) {
        if (!topic.startsWith(prefix)) {
            return; // another team's, whatever the broker sends: never listed
        }
        String[] levels = topic.substring(prefix.length()).split("/", -1);
        if (levels.length == 2 && levels[0].equals("gateways")) {
            gateway(levels[1], payload);
        } else if (levels.length == 4 && levels[0].equals("presence")) {
            record(topic, levels[1], levels[2], payload);
        }
        // anything else under the team's prefix is not ours to judge (a newer gateway's topics, say)
    }

    private synchronized void gateway(String instanceLevel, byte[] payload) {
        if (payload.length == 0) {
            liveGateways.remove(instanceLevel);
            heard.values().removeIf(h -> h.instance().equals(instanceLevel)); // all its sessions leave at once
        } else {
            liveGateways.add(instanceLevel);
        }
    }

    /**
     * A record at {@code presence/<deviceLevel>/<instanceLevel>/<session>}: kept when it is one and names the
     * device its topic does, so that a broker's ACL letting each user write under its own device only also keeps it
     * from passing its records off as another device's.
     */
    private void record(String topic, String deviceLevel, String instanceLevel, byte[] payload) {
        if (payload.length == 0) {
            synchronized (this) {
                heard.remove(topic);
            }
            return;
        }
        Optional<PresenceRecord> record;
        String problem = null;
        if (payload.length > MAX_PAYLOAD_BYTES) {
            record = Optional.empty();
            problem = "larger than " + MAX_PAYLOAD_BYTES + " bytes";
        } else {
            try {
                record = PresenceRecord.parse(new String(payload, StandardCharsets.UTF_8));
                if (record.isEmpty()) {
                    problem = "not a JSON object";
                } else if (record.get().sessionId().isEmpty()) {
                    problem = "no session_id";
                    record = Optional.empty();
                } else if (!level(record.get().host()).equals(deviceLevel)) {
                    problem = "its host is '" + record.get().host() + "', another device than its topic's";
                    record = Optional.empty();
                }
            } catch (IllegalArgumentException e) {
                record = Optional.empty();
                problem = e.getMessage();
            }
        }
        boolean full = false;
        synchronized (this) {
            if (record.isEmpty()) {
                heard.remove(topic);
                if (named.contains(topic) || named.size() >= MAX_NAMED) {
                    problem = null; // named once already, or enough named
                } else {
                    named.add(topic);
                }
            } else if (heard.size() >= MAX_RECORDS && !heard.containsKey(topic)) {
                full = !saidFull;
                saidFull = true;
            } else {
                heard.put(topic, new Heard(instanceLevel, record.get()));
            }
        }
        if (problem != null) {
            LOG.log(System.Logger.Level.WARNING, "skipped the presence message at " + topic + " on " + broker.url() + ": "
                    + problem);
        }
        if (full) {
            LOG.log(System.Logger.Level.WARNING, "the presence broker " + broker.url() + " holds more than " + MAX_RECORDS
                    + " records; further ones are not read");
        }
    }

    /**
     * The clean stop, after {@link #delete} for each record: this gateway's liveness cleared too, then a normal
     * disconnect (which fires no Will).
     */
    @Override
    public void close() {
        synchronized (publishing) {
            stop();
        }
        pings.shutdownNow();
    }

    private void stop() {
        boolean wasConnected;
        MqttAsyncClient c;
        List<String> toClear = new ArrayList<>();
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            generation++;
            c = client;
            wasConnected = connected;
            connected = false;
            for (String session : own.keySet()) {
                toClear.add(devicePath + session);
            }
            own.clear();
        }
        retries.shutdownNow();
        if (wasConnected) {
            List<IMqttToken> tokens = new ArrayList<>();
            for (String topic : toClear) {
                tokens.add(publish(c, topic, new byte[0], null));
            }
            tokens.add(publish(c, livenessTopic, new byte[0], null));
            long deadline = System.currentTimeMillis() + STOP_TIMEOUT_MILLIS;
            for (IMqttToken token : tokens) {
                if (token != null) {
                    try {
                        token.waitForCompletion(Math.max(1, deadline - System.currentTimeMillis()));
                    } catch (MqttException | RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "clearing this gateway's presence on " + broker.url()
                                + " failed: " + e + "; its records expire on their own");
                        break;
                    }
                }
            }
            try {
                c.disconnect(1_000).waitForCompletion(STOP_TIMEOUT_MILLIS);
            } catch (MqttException | RuntimeException e) {
                // the broker went first
            }
        }
        discard(c);
    }

    private synchronized boolean isCurrent(long g) {
        return g == generation && !stopping;
    }

    /** What Paho reports of one attempt's connection. */
    private final class Callback implements MqttCallback {

        private final long g;

        Callback(long g) {
            this.g = g;
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            lost(g, response == null ? null : response.getException() != null ? response.getException()
                    : new IllegalStateException("the broker disconnected (reason " + response.getReturnCode() + ")"));
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.log(System.Logger.Level.DEBUG, "presence broker error: " + exception);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (!isCurrent(g)) {
                return; // a connection given up: the current one reads the tree afresh
            }
            try {
                arrived(topic, message.getPayload());
            } catch (RuntimeException e) {
                // thrown back to Paho it would drop the connection: one bad message must not cut the team off
                LOG.log(System.Logger.Level.WARNING, "skipped the presence message at " + topic + ": " + e);
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // retained: nothing to do per message
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            // connected() runs from the connect's listener
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // no enhanced authentication
        }
    }
}
