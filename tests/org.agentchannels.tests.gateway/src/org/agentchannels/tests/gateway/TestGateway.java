package org.agentchannels.tests.gateway;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.gateway.Gateway;
import org.agentchannels.gateway.GatewayOptions;
import org.agentchannels.gateway.agent.Agent;
import org.agentchannels.tests.support.Closer;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.tests.support.RawWebSocket;

/**
 * A gateway in this test's JVM, in a home of the test's, on a free loopback port (named "desktop" unless told
 * otherwise), and connector clients paired with it. {@link GatewayExtension} closes it after the test; a test
 * may close it earlier to start another in the same home.
 */
public final class TestGateway implements AutoCloseable {

    public final Path home;
    /** The running gateway, once {@link #start} was called. */
    public Gateway gateway;
    private final Closer closer = new Closer();

    public TestGateway(Path home) {
        this.home = home;
    }

    public GatewayOptions options(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--device-name", "desktop"));
        args.addAll(List.of(extra));
        return GatewayOptions.parse(args, home);
    }

    public Gateway start(Agent agent, String... extra) throws Exception {
        return start(agent, () -> "fallback-host", extra);
    }

    /** @param hostName this machine's name as the gateway would ask it */
    public Gateway start(Agent agent, Supplier<String> hostName, String... extra) throws Exception {
        gateway = Gateway.start(options(extra), agent, hostName, Clock.systemUTC());
        return gateway;
    }

    /** A client, as the device {@code deviceName}, paired with the gateway. */
    public StandaloneGatewayConnector client(String deviceName) {
        InMemoryTokenStore tokens = new InMemoryTokenStore();
        tokens.put(gateway.localEndpoint(), gateway.token(), false, gateway.fingerprint());
        return track(GatewayConnectors.standalone(tokens, deviceName, ConnectorExtension.fastBackoff()));
    }

    /** A bare socket with the gateway's token, for calls no well-behaved client makes ({@link RawWebSocket#call}). */
    public RawWebSocket raw() throws Exception {
        return track(RawWebSocket.connect(gateway.localEndpoint(), Map.of("Authorization", "Bearer " + gateway.token())));
    }

    /** Closed with this gateway, before it. */
    public <T extends AutoCloseable> T track(T closeable) {
        return closer.track(closeable);
    }

    @Override
    public void close() throws Exception {
        closer.close();
        if (gateway != null) {
            gateway.close();
            gateway = null;
        }
    }
}
