package org.agentchannels.tests.gateway;

import java.nio.file.Path;

import org.agentchannels.tests.support.Closer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gateways in the test's JVM ({@link TestGateway}), their clients, and whatever else a test hands it (scripted
 * peers, proxies, raw sockets): all closed after each test, the last made first. Register it with
 * {@code @RegisterExtension}.
 */
public final class GatewayExtension implements AfterEachCallback {

    private final Closer closer = new Closer();

    /** A gateway to start in {@code home}. */
    public TestGateway in(Path home) {
        return track(new TestGateway(home));
    }

    public <T extends AutoCloseable> T track(T closeable) {
        return closer.track(closeable);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        closer.close();
    }
}
