package org.agentchannels.gateway.internal.presence;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
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
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import com.google.gson.JsonObject;

/**
 * A team's MQTT 5 broker as a {@link PresenceStore}. This gateway's records are retained at
 * {@code agentchannels/<team>/presence/<device>/<gateway-instance>/<session>} with the record's lifetime as their
 * message expiry, and its liveness at {@code agentchannels/<team>/gateways/<gateway-instance>}, which the broker
 * clears (the connection's Will: retained, empty) when the connection dies; a clean stop clears both itself.
 *
 * <p>It reads the team's tree ({@code agentchannels/<team>/#}) into a bounded map by topic and lists the records of
 * the gateways whose liveness is there: a gateway gone leaves every list with all its sessions at once. Payloads
 * that are no record are skipped and named once in the log, as broken presence files are. Topics outside the
 * team's prefix are never read.
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

    private final PresenceBroker broker;
    private final String prefix;
    private final String instance;
    private final String livenessTopic;
    private final String devicePath;
    private final JsonObject liveness;
    private final Backoff backoff;
    private final ScheduledExecutorService retries = Executors
            .newSingleThreadScheduledExecutor(DaemonThreads.named("agentchannels-gateway-broker"));
    private final ScheduledThreadPoolExecutor pahoThreads = new ScheduledThreadPoolExecutor(5,
            DaemonThreads.named("agentchannels-gateway-mqtt"));
    private final MqttAsyncClient client;

    // guarded by this
    private final Map<String, PresenceRecord> own = new LinkedHashMap<>();
    private final Set<String> ownToClear = new LinkedHashSet<>();
    private final Map<String, Heard> heard = new HashMap<>();
    private final Set<String> liveGateways = new HashSet<>();
    private final Set<String> named = new HashSet<>();
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
     */
    public BrokerPresence(PresenceBroker broker, String device, String instanceId, String endpoint, Clock clock,
            Backoff backoff) throws MqttException {
        this.broker = broker;
        this.backoff = backoff;
        this.prefix = "agentchannels/" + broker.team() + "/";
        this.instance = level(instanceId);
        this.livenessTopic = prefix + "gateways/" + instance;
        this.devicePath = prefix + "presence/" + level(device) + "/" + instance + "/";
        this.liveness = new JsonObject();
        liveness.addProperty("instance_id", instanceId);
        liveness.addProperty("host", device);
        liveness.addProperty("endpoint", endpoint);
        liveness.addProperty("started_at", clock.millis() / 1000.0);
        pahoThreads.setRemoveOnCancelPolicy(true);
        // one client per process and broker: a random part keeps two gateways of one name and pid apart
        String clientId = "agentchannels-" + instance + "-" + Long.toHexString(Double.doubleToLongBits(Math.random()) & 0xffffffL);
        String host = broker.host().contains(":") ? "[" + broker.host() + "]" : broker.host();
        this.client = new MqttAsyncClient("tcp://" + host + ":" + broker.port(), clientId, new MemoryPersistence(), null,
                pahoThreads);
        client.setCallback(new Callback());
        retries.execute(this::connect);
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

    /** Whether the connection to the broker is up now. */
    public synchronized boolean isConnected() {
        return connected;
    }

    // on the retry thread
    private void connect() {
        synchronized (this) {
            if (stopping) {
                return;
            }
        }
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setSessionExpiryInterval(0L);
        options.setKeepAliveInterval(broker.keepAliveSeconds());
        options.setConnectionTimeout(10);
        options.setAutomaticReconnect(false); // our Backoff, and a fresh read of the tree after each connect
        if (!broker.user().isEmpty()) {
            options.setUserName(broker.user());
        }
        if (!broker.password().isEmpty()) {
            options.setPassword(broker.password().getBytes(StandardCharsets.UTF_8));
        }
        // the broker clears this gateway's liveness when the connection dies without a clean disconnect
        options.setWill(livenessTopic, new MqttMessage(new byte[0], QOS, true, new MqttProperties()));
        try {
            client.connect(options, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    connected();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    unreachable(failure);
                }
            });
        } catch (MqttException | RuntimeException e) {
            unreachable(e);
        }
    }

    // on a Paho thread
    private void connected() {
        List<Map.Entry<String, byte[]>> toPublish = new ArrayList<>();
        synchronized (this) {
            if (stopping) {
                return;
            }
            connected = true;
            attempt = 0;
            saidUnreachable = false;
            // read afresh: what died while this gateway was away is no longer retained, so no message would say so
            heard.clear();
            liveGateways.clear();
            saidFull = false;
            toPublish.add(Map.entry(livenessTopic, liveness.toString().getBytes(StandardCharsets.UTF_8)));
            for (String session : ownToClear) {
                toPublish.add(Map.entry(devicePath + session, new byte[0]));
            }
            ownToClear.clear();
            for (Map.Entry<String, PresenceRecord> e : own.entrySet()) {
                toPublish.add(Map.entry(devicePath + e.getKey(), payload(e.getValue())));
            }
        }
        LOG.log(System.Logger.Level.INFO, "connected to the presence broker " + broker.url());
        try {
            client.subscribe(prefix + "#", QOS);
            for (Map.Entry<String, byte[]> e : toPublish) {
                publish(e.getKey(), e.getValue(), expiryOf(e.getKey()));
            }
        } catch (MqttException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the presence broker " + broker.url() + " took no subscription: " + e);
            dropAndRetry();
        }
    }

    /** A record's message expiry: its lifetime; the liveness and the clearing messages have none. */
    private Long expiryOf(String topic) {
        return topic.equals(livenessTopic) ? null : (long) PresenceRecord.DEFAULT_TTL_SECONDS;
    }

    private void dropAndRetry() {
        try {
            client.disconnectForcibly(0, 1_000, false);
        } catch (MqttException | RuntimeException e) {
            // gone already
        }
        lost(null);
    }

    // on the retry thread or a Paho thread
    private void unreachable(Throwable failure) {
        boolean say;
        long delay;
        synchronized (this) {
            connected = false;
            if (stopping) {
                return;
            }
            say = !saidUnreachable;
            saidUnreachable = true;
            delay = backoff.delayMillis(++attempt);
        }
        if (say) { // once per streak of failures: the retries say nothing more until one succeeds
            LOG.log(System.Logger.Level.WARNING, "cannot reach the presence broker " + broker.url() + " (" + reason(failure)
                    + "); the gateway runs on, with the presence folder, and retries the broker with backoff");
        }
        retries.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    // on a Paho thread
    private void lost(Throwable cause) {
        synchronized (this) {
            if (stopping || !connected) {
                return;
            }
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
    private IMqttToken publish(String topic, byte[] payload, Long expirySeconds) {
        MqttProperties properties = new MqttProperties();
        if (expirySeconds != null && payload.length > 0) {
            properties.setMessageExpiryInterval(expirySeconds);
        }
        try {
            return client.publish(topic, new MqttMessage(payload, QOS, true, properties));
        } catch (MqttException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "publishing " + topic + " failed: " + e);
            return null;
        }
    }

    @Override
    public void write(String instanceId, PresenceRecord record) {
        String session = level(record.sessionId());
        boolean now;
        synchronized (this) {
            own.put(session, record);
            ownToClear.remove(session);
            now = connected;
        }
        if (now) {
            publish(devicePath + session, payload(record), (long) PresenceRecord.DEFAULT_TTL_SECONDS);
        }
    }

    @Override
    public void delete(String instanceId, String sessionId) {
        String session = level(sessionId);
        boolean now;
        synchronized (this) {
            if (own.remove(session) == null && !connected) {
                return;
            }
            now = connected;
            if (!now) {
                ownToClear.add(session); // cleared on the next connect: a retained record outlives its session
            }
        }
        if (now) {
            publish(devicePath + session, new byte[0], null);
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
            record(topic, levels[2], payload);
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

    private void record(String topic, String instanceLevel, byte[] payload) {
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
                if (!named.add(topic) || named.size() > MAX_NAMED) {
                    problem = null; // named once already, or enough named
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
        boolean wasConnected;
        List<String> toClear = new ArrayList<>();
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
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
                tokens.add(publish(topic, new byte[0], null));
            }
            tokens.add(publish(livenessTopic, new byte[0], null));
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
                client.disconnect(1_000).waitForCompletion(STOP_TIMEOUT_MILLIS);
            } catch (MqttException | RuntimeException e) {
                // the broker went first
            }
        }
        try {
            client.disconnectForcibly(0, 0, false);
        } catch (MqttException | RuntimeException e) {
            // not connected
        }
        try {
            client.close(true);
        } catch (MqttException | RuntimeException e) {
            // closed
        }
        pahoThreads.shutdownNow();
    }

    private final class Callback implements MqttCallback {

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            lost(response == null ? null : response.getException() != null ? response.getException()
                    : new IllegalStateException("the broker disconnected (reason " + response.getReturnCode() + ")"));
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.log(System.Logger.Level.DEBUG, "presence broker error: " + exception);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            arrived(topic, message.getPayload());
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
