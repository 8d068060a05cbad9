package org.agentchannels.connector.tests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.agentchannels.connector.DefaultGatewayConnector;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.core.Backoff;
import org.agentchannels.tests.support.Futures;

/** Shared set-up: a connector with fast backoff and an in-memory token store; everything closed after. */
final class ConnectorFixture implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);

    final InMemoryTokenStore tokens = new InMemoryTokenStore();
    final List<AutoCloseable> toClose = new ArrayList<>();

    DefaultGatewayConnector connector(String configuredName) {
        return connector(configuredName, Duration.ofSeconds(15));
    }

    DefaultGatewayConnector connector(String configuredName, Duration heartbeat) {
        // 50 ms doubling to 400 ms: reconnect tests finish quickly, and the rule under test is the same
        DefaultGatewayConnector c = new DefaultGatewayConnector(tokens, configuredName, new Backoff(50, 400, () -> 0.5),
                heartbeat);
        toClose.add(c);
        return c;
    }

    <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        return Futures.await(future, WAIT);
    }

    static GatewayException failure(CompletableFuture<?> future) throws Exception {
        return GatewayException.of(Futures.failure(future, WAIT));
    }

    @Override
    public void close() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }
}
