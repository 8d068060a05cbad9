package org.agentchannels.connector.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.GatewayEvents;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.tests.support.ScriptedGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client reads the gateway's frames itself (it decodes whole text messages from their bytes): a message in
 * several frames, split inside a character, arrives whole; a ping is answered with its payload; a replacement
 * character the gateway sent is text like any other; bytes that are not UTF-8 close the connection with 1007, and
 * nothing of them is delivered.
 */
@SuppressWarnings("resource") // the fixture closes what it tracks
class TextFramesTest {

    @RegisterExtension
    final ConnectorExtension fixture = new ConnectorExtension();

    private static final FrameCodec CODEC = new FrameCodec();

    private record Connected(ScriptedGateway.Peer peer, GatewayConnection connection, List<Frame.Event> events) {
    }

    private Connected connect() throws Exception {
        ScriptedGateway gw = fixture.track(new ScriptedGateway().start());
        GatewayConnection c = await(fixture.connector("").connectLocal(gw.endpoint()));
        List<Frame.Event> events = new CopyOnWriteArrayList<>();
        c.addListener(new GatewayConnection.Listener() {
            @Override
            public void event(GatewayConnection connection, Frame.Event event) {
                events.add(event);
            }
        });
        Await.until("the peer", WAIT, () -> !gw.peers().isEmpty());
        return new Connected(gw.peers().get(0), c, events);
    }

    private static String delta(String text, long seq) {
        return CODEC.encode(GatewayEvents.frame("a0b0c000", new GatewayEvent.MessageDelta(text), seq));
    }

    @Test
    void aMessageInManyFramesSplitInsideACharacterArrivesWhole() throws Exception {
        Connected c = connect();
        String text = "\u65e5\u672c\u8a9e \u00e9t\u00e9 \uD83D\uDE00 ".repeat(40);
        c.peer().sendFragmented(delta(text, 1), 7);
        c.peer().sendFragmented(delta("and a plain one", 2), 3);
        Await.until("two events", WAIT, () -> c.events().size() == 2);
        assertEquals(text, c.events().get(0).payload().get("text").getAsString());
        assertEquals("and a plain one", c.events().get(1).payload().get("text").getAsString());
        assertEquals(2, c.events().get(1).seq());
    }

    @Test
    void aPingIsAnsweredWithItsPayload() throws Exception {
        Connected c = connect();
        c.peer().ping("are you there");
        Await.until("the pong", WAIT, () -> c.peer().pongs().contains("are you there"));
        assertTrue(c.connection().state().isConnected());
    }

    @Test
    void aReplacementCharacterSentAsSuchIsText() throws Exception {
        Connected c = connect();
        c.peer().sendTextBytes(delta("\uFFFD stays", 1).getBytes(StandardCharsets.UTF_8));
        Await.until("the event", WAIT, () -> c.events().size() == 1);
        assertEquals("\uFFFD stays", c.events().get(0).payload().get("text").getAsString());
        assertTrue(c.connection().state().isConnected());
    }

    @Test
    void bytesThatAreNotUtf8CloseTheConnectionWith1007() throws Exception {
        Connected c = connect();
        byte[] good = delta("xx", 1).getBytes(StandardCharsets.UTF_8);
        int at = new String(good, StandardCharsets.UTF_8).indexOf("xx");
        good[at] = (byte) 0xC3; // a lead byte ...
        good[at + 1] = (byte) 0x28; // ... that nothing continues
        c.peer().sendTextBytes(good);
        assertEquals(1007, c.peer().closeCode().get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(c.events().isEmpty(), "nothing of it delivered: " + c.events());
    }
}
