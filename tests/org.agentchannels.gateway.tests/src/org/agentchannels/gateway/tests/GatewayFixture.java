package org.agentchannels.gateway.tests;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.tests.support.Futures;
import org.agentchannels.gateway.Gateway;
import org.agentchannels.gateway.GatewayOptions;
import org.agentchannels.gateway.agent.Agent;

/** A gateway in a temporary home on a free loopback port, and connector clients that know its token. */
final class GatewayFixture implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);

    final Path home;
    final List<AutoCloseable> toClose = new ArrayList<>();
    Gateway gateway;

    GatewayFixture(Path home) {
        this.home = home;
    }

    GatewayOptions options(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--device-name", "desktop"));
        args.addAll(List.of(extra));
        return GatewayOptions.parse(args, home);
    }

    Gateway start(Agent agent, String... extra) throws Exception {
        return start(agent, () -> "fallback-host", extra);
    }

    Gateway start(Agent agent, Supplier<String> hostName, String... extra) throws Exception {
        gateway = Gateway.start(options(extra), agent, hostName, Clock.systemUTC());
        return gateway;
    }

    /** A client (as another device, "laptop") paired with the gateway. */
    StandaloneGatewayConnector client(String deviceName) throws Exception {
        InMemoryTokenStore tokens = new InMemoryTokenStore();
        tokens.put(gateway.localEndpoint(), gateway.token());
        StandaloneGatewayConnector c = GatewayConnectors.standalone(tokens, deviceName, ConnectorExtension.fastBackoff());
        toClose.add(c);
        return c;
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
        if (gateway != null) {
            gateway.close();
        }
    }
}
