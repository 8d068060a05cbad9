package org.agentchannels.tests.support;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.core.Backoff;
import org.agentchannels.core.presence.SessionActivity;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Connectors with fast backoff and an in-memory token store, and whatever else a test hands it (scripted
 * gateways, proxies): all closed after each test, the last made first. Register it with
 * {@code @RegisterExtension}.
 */
public final class ConnectorExtension implements AfterEachCallback {

    /** How long a test waits for anything the network does. */
    public static final Duration WAIT = Duration.ofSeconds(20);

    public final InMemoryTokenStore tokens = new InMemoryTokenStore();
    private final Closer closer = new Closer();

    /** 50 ms doubling to 400 ms, without jitter: reconnect tests finish quickly, and the rule under test is the same. */
    public static Backoff fastBackoff() {
        return new Backoff(50, 400, () -> 0.5);
    }

    public StandaloneGatewayConnector connector(String configuredName) {
        return track(GatewayConnectors.standalone(tokens, configuredName, fastBackoff()));
    }

    public StandaloneGatewayConnector connector(String configuredName, Duration heartbeat) {
        return track(GatewayConnectors.standalone(tokens, configuredName, fastBackoff(), heartbeat));
    }

    /**
     * Pairs {@code endpoint} as a person pairs a gateway that asks for no token (scripted gateways ask for none
     * unless told): connectors dial no other remote gateway.
     *
     * @return the endpoint
     */
    public String trust(String endpoint) {
        tokens.trustWithoutToken(endpoint);
        return endpoint;
    }

    public <T extends AutoCloseable> T track(T closeable) {
        return closer.track(closeable);
    }

    public static <T> T await(CompletableFuture<T> future) throws Exception {
        return Futures.await(future, WAIT);
    }

    /** Waits for {@code s} to hold {@code rows} transcript rows with no turn running. */
    public static void awaitIdle(AttachedSession s, int rows) {
        Await.until(rows + " rows and idle", WAIT,
                () -> s.model().rows().size() == rows && s.model().activity() == SessionActivity.IDLE);
    }

    public static GatewayException failure(CompletableFuture<?> future) throws Exception {
        return GatewayException.of(Futures.failure(future, WAIT));
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        closer.close();
    }
}
