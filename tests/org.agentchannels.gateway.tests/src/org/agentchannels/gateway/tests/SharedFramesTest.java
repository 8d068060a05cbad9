package org.agentchannels.gateway.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.tests.gateway.GatewayExtension;
import org.agentchannels.tests.gateway.PacedAgent;
import org.agentchannels.tests.gateway.TestGateway;
import org.agentchannels.tests.support.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session's frames are encoded once and the same bytes go to every viewer: three devices attached to one
 * session each get the whole streamed answer, text outside ASCII (CJK, an emoji's surrogate pair, accents,
 * quotes) intact and in order, however the sends of the others go.
 */
@SuppressWarnings("resource") // the fixture closes what it opens
class SharedFramesTest {

    private static final String WORD = "\u6f22\u5b57 \ud83d\ude00 \u00e9t\u00e9 \"q\" \\ ";
    private static final int WORDS = 300;

    @TempDir
    Path home;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    @Test
    void everyViewerGetsTheSameWholeTextFromBytesEncodedOnce() throws Exception {
        TestGateway fixture = gateways.in(home);
        fixture.start(new PacedAgent(WORD, WORDS, 0));
        String endpoint = fixture.gateway.localEndpoint();
        StandaloneGatewayConnector desk = fixture.client("desk");
        AttachedSession first = await(desk.createSession(endpoint, "shared", ""));
        List<AttachedSession> viewers = new ArrayList<>(List.of(first));
        for (String device : List.of("laptop", "tablet")) {
            viewers.add(await(fixture.client(device).attach(endpoint, first.sessionId(), first.sessionKey())));
        }
        await(first.submit("go"));
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < WORDS; i++) {
            expected.append(WORD).append(i).append(' ');
        }
        for (AttachedSession viewer : viewers) {
            Await.until("the whole answer on every viewer", WAIT, () -> viewer.model().activity() == SessionActivity.IDLE
                    && viewer.model().rows().stream().anyMatch(r -> TranscriptRow.ASSISTANT.equals(r.role())));
            TranscriptRow answer = viewer.model().rows().stream().filter(r -> TranscriptRow.ASSISTANT.equals(r.role()))
                    .reduce((a, b) -> b).orElseThrow();
            assertEquals(expected.toString().strip(), answer.text().strip());
        }
    }
}
