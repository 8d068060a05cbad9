package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.gateway.agent.Agent;
import org.agentchannels.tests.gateway.GatewayExtension;
import org.agentchannels.tests.gateway.TestGateway;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.ConnectorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deltas an agent hands over in a burst wait in each viewer's transport and are written when the burst ends: every
 * viewer sees all of them, in order, as soon as the burst ends and before anything else is sent (nothing after it
 * carries them out), also when the agent fails inside the burst, and with bursts inside bursts.
 */
@SuppressWarnings("resource") // the fixture closes what it opens
class BurstsTest {

    @TempDir
    Path home;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    /** Three bursts, each followed by a pause until the test has seen it arrive. */
    private static final class BurstingAgent implements Agent {
        final List<CountDownLatch> seen = List.of(new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1));

        @Override
        public String model() {
            return "bursting";
        }

        @Override
        public Turn start(Request request, Sink sink) {
            Thread t = new Thread(() -> {
                try {
                    try (AutoCloseable burst = sink.burst()) {
                        for (int i = 0; i < 100; i++) {
                            sink.delta("a" + i + " ");
                        }
                    }
                    await(seen.get(0));
                    try (AutoCloseable burst = sink.burst()) {
                        sink.delta("b0 ");
                        try (AutoCloseable inner = sink.burst()) {
                            sink.delta("b1 ");
                        }
                        sink.delta("b2 "); // the inner burst's end wrote nothing yet: only the outer one's does
                    }
                    await(seen.get(1));
                    try (AutoCloseable burst = sink.burst()) {
                        sink.delta("c0 ");
                        throw new IllegalStateException("the agent fails inside a burst");
                    } catch (IllegalStateException expected) {
                        // what it sent before failing is written all the same
                    }
                    await(seen.get(2));
                    sink.complete(Result.complete(null));
                } catch (Exception e) {
                    sink.complete(Result.error(e.toString()));
                }
            }, "bursting-agent");
            t.setDaemon(true);
            t.start();
            return () -> {
            };
        }

        private static void await(CountDownLatch latch) throws InterruptedException {
            if (!latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never saw the burst");
            }
        }
    }

    /**
     * A client that sends no heartbeat while the test runs: the answer to one would be a frame written after the burst,
     * carrying out whatever the burst left waiting.
     */
    private static StandaloneGatewayConnector quietClient(TestGateway fixture, String device) {
        InMemoryTokenStore tokens = new InMemoryTokenStore();
        tokens.put(fixture.gateway.localEndpoint(), fixture.gateway.token(), false, fixture.gateway.fingerprint());
        return fixture.track(GatewayConnectors.standalone(tokens, device, ConnectorExtension.fastBackoff(), Duration.ofHours(1)));
    }

    @Test
    void aBurstReachesEveryViewerWhenItEndsAndNothingOfItWaitsForMore() throws Exception {
        TestGateway fixture = gateways.in(home);
        BurstingAgent agent = new BurstingAgent();
        fixture.start(agent);
        String endpoint = fixture.gateway.localEndpoint();
        AttachedSession first = await(quietClient(fixture, "desk").createSession(endpoint, "bursts", ""));
        List<AttachedSession> viewers = new ArrayList<>(List.of(first));
        for (String device : List.of("laptop", "tablet")) {
            viewers.add(await(quietClient(fixture, device).attach(endpoint, first.sessionId(), first.sessionKey())));
        }
        await(first.submit("go"));
        StringBuilder a = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            a.append("a").append(i).append(' ');
        }
        String[] expected = { a.toString(), a + "b0 b1 b2 ", a + "b0 b1 b2 c0 " };
        for (int burst = 0; burst < 3; burst++) {
            String text = expected[burst];
            for (AttachedSession viewer : viewers) {
                Await.until("burst " + burst + " on every viewer", WAIT, () -> text.equals(viewer.model().streamingText()));
            }
            agent.seen.get(burst).countDown();
        }
        for (AttachedSession viewer : viewers) {
            Await.until("the turn's end", WAIT, () -> viewer.model().activity() == SessionActivity.IDLE);
        }
        assertEquals(expected[2].strip(), first.model().rows().get(first.model().rows().size() - 1).text().strip());
    }
}
