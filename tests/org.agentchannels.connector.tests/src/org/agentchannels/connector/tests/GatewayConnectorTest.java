package org.agentchannels.connector.tests;

import static org.agentchannels.tests.support.ConnectorExtension.WAIT;
import static org.agentchannels.tests.support.ConnectorExtension.await;
import static org.agentchannels.tests.support.ConnectorExtension.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.ConnectionState;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.Json;
import org.agentchannels.core.protocol.JsonRpcCodes;
import org.agentchannels.core.protocol.Methods;
import org.agentchannels.core.protocol.RequestId;
import org.agentchannels.core.protocol.TranscriptRow;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.tests.support.FakeSessionHost;
import org.agentchannels.tests.support.ScriptedGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/** The pool, identity, attach and attribution against scripted gateways (seed, Phase 2b). */
@SuppressWarnings("resource") // the fixture closes what it tracks
class GatewayConnectorTest {

    @RegisterExtension
    final ConnectorExtension fixture = new ConnectorExtension();

    /** A scripted gateway this device has paired (trusted without a token: it asks for none). */
    private ScriptedGateway gateway(String deviceName) throws Exception {
        ScriptedGateway gw = fixture.track(new ScriptedGateway().deviceName(deviceName).start());
        fixture.trust(gw.endpoint());
        return gw;
    }

    @Test
    void capturesTheFirstReadyFrameOfTheLocalGatewayAsThisDevice() throws Exception {
        ScriptedGateway local = gateway("laptop");
        ScriptedGateway remote = gateway("desktop");
        StandaloneGatewayConnector connector = fixture.connector("configured-name");
        await(connector.connectLocal(local.endpoint()));
        assertEquals("laptop", connector.localDeviceName());
        await(connector.ensureGatewayForEndpoint(remote.endpoint()));
        assertEquals("laptop", connector.localDeviceName()); // a remote ready frame never overwrites it
    }

    /** Issue 15: the Paired Gateways page shows each gateway's device and when this device last connected to it. */
    @Test
    void aConnectionToAPairedRemoteGatewayNotesItsDeviceAndWhenAndTheLocalOneNothing() throws Exception {
        ScriptedGateway local = gateway("laptop");
        ScriptedGateway remote = gateway("desktop");
        StandaloneGatewayConnector connector = fixture.connector("");
        await(connector.connectLocal(local.endpoint()));
        java.time.Instant before = java.time.Instant.now();
        await(connector.ensureGatewayForEndpoint(remote.endpoint()));
        Await.until("the connection noted", WAIT, () -> fixture.tokens.details(remote.endpoint()).lastConnected().isPresent());
        var noted = fixture.tokens.details(remote.endpoint());
        assertEquals("desktop", noted.gatewayDevice());
        assertFalse(noted.lastConnected().orElseThrow().isBefore(before), noted.toString());
        assertEquals(org.agentchannels.connector.TokenStore.GatewayDetails.NONE, fixture.tokens.details(local.endpoint()),
                "this device's own gateway is no paired gateway of the page");
        fixture.tokens.remove(remote.endpoint());
        assertEquals(org.agentchannels.connector.TokenStore.GatewayDetails.NONE, fixture.tokens.details(remote.endpoint()),
                "forgetting a gateway forgets what was noted of it");
    }

    @Test
    void aRemoteReadyFrameNeverNamesThisDeviceEvenWhenItComesFirst() throws Exception {
        ScriptedGateway remote = gateway("desktop");
        ScriptedGateway local = gateway("laptop");
        StandaloneGatewayConnector connector = fixture.connector("");
        await(connector.ensureGatewayForEndpoint(remote.endpoint()));
        assertFalse("desktop".equals(connector.localDeviceName()));
        await(connector.connectLocal(local.endpoint()));
        assertEquals("laptop", connector.localDeviceName());
    }

    @Test
    void withoutADeviceNameTheConfiguredNameThenTheHostNameIsUsed() throws Exception {
        ScriptedGateway older = fixture.track(new ScriptedGateway().start()); // upstream line: no device_name
        StandaloneGatewayConnector configured = fixture.connector("my-box");
        await(configured.connectLocal(older.endpoint()));
        assertEquals("my-box", configured.localDeviceName());
        StandaloneGatewayConnector bare = fixture.connector("");
        await(bare.connectLocal(older.endpoint()));
        assertEquals(java.net.InetAddress.getLocalHost().getHostName().replaceFirst("\\.local$", ""),
                bare.localDeviceName());
    }

    @Test
    void ensureGatewayForEndpointReusesTheConnectionAndFlipsTheActiveBackend() throws Exception {
        ScriptedGateway local = gateway("laptop");
        ScriptedGateway remote = gateway("desktop");
        StandaloneGatewayConnector connector = fixture.connector("");
        await(connector.connectLocal(local.endpoint()));
        assertFalse(connector.activeBackendIsRemote());
        GatewayConnection first = await(connector.ensureGatewayForEndpoint(remote.endpoint()));
        GatewayConnection again = await(connector.ensureGatewayForEndpoint(" " + remote.endpoint() + " "));
        assertSame(first, again);
        assertEquals(1, remote.authorizations().size()); // dialed once
        assertTrue(connector.activeBackendIsRemote());
        assertSame(first, connector.activeGateway().orElseThrow());
        connector.activateLocal();
        assertFalse(connector.activeBackendIsRemote());
        // the local endpoint through ensureGatewayForEndpoint is the local connection, not a remote one
        await(connector.ensureGatewayForEndpoint(local.endpoint()));
        assertFalse(connector.activeBackendIsRemote());
    }

    @Test
    void attachActivatesByRuntimeIdWithTheViewerDeviceAndHydrates() throws Exception {
        ScriptedGateway local = gateway("laptop");
        ScriptedGateway remote = gateway("desktop");
        FakeSessionHost host = new FakeSessionHost(remote, false);
        FakeSessionHost.HostedSession s = host.add("a0b0c000", "20261124_120000_abcdef");
        s.rows.add(TranscriptRow.user("hello", "desktop"));
        s.rows.add(TranscriptRow.assistant("hi there", "", "complete"));
        StandaloneGatewayConnector connector = fixture.connector("");
        await(connector.connectLocal(local.endpoint()));
        AttachedSession attached = await(connector.attach(remote.endpoint(), "a0b0c000", "20261124_120000_abcdef"));
        assertEquals(2, attached.model().rowCount());
        assertEquals("desktop", attached.model().rows().get(0).senderDevice());
        Frame.Request activate = remote.requests("session.activate").get(0);
        assertEquals("a0b0c000", activate.params().get("session_id").getAsString());
        assertEquals("laptop", activate.params().get("viewer_device").getAsString());
        assertTrue(attached.isRemote());
        assertTrue(connector.activeBackendIsRemote());
    }

    @Test
    void attachFallsBackToResumeWithTheSessionKeyWhenTheRuntimeIdIsNotLive() throws Exception {
        ScriptedGateway remote = gateway("desktop");
        FakeSessionHost host = new FakeSessionHost(remote, false);
        host.add("newid001", "20261124_120000_abcdef").rows.add(TranscriptRow.user("stored", "desktop"));
        StandaloneGatewayConnector connector = fixture.connector("laptop");
        AttachedSession attached = await(connector.attach(remote.endpoint(), "gone0000", "20261124_120000_abcdef"));
        assertEquals(1, remote.requests("session.activate").size());
        Frame.Request resume = remote.requests("session.resume").get(0);
        assertEquals("20261124_120000_abcdef", resume.params().get("session_id").getAsString());
        assertEquals("laptop", resume.params().get("viewer_device").getAsString());
        assertEquals("newid001", attached.sessionId()); // events are routed by the rebuilt session's id
        host.startTurn("newid001", "from the desk", "desktop", "");
        host.complete("newid001", "done", "complete");
        Await.until("the events of the rebuilt session", WAIT, () -> attached.model().rowCount() == 2);
    }

    @Test
    void anUnknownSessionFailsWithTheGatewaysCode() throws Exception {
        ScriptedGateway remote = gateway("desktop");
        new FakeSessionHost(remote, false);
        StandaloneGatewayConnector connector = fixture.connector("laptop");
        GatewayException e = failure(connector.attach(remote.endpoint(), "nope0000", "20200101_000000_000000"));
        assertEquals(4007, e.code());
        assertTrue(connector.attachedSessions().isEmpty());
        GatewayException noKey = failure(connector.attach(remote.endpoint(), "nope0000", ""));
        assertEquals(4001, noKey.code());
    }

    @Test
    void promptsCarrySenderDeviceExactlyWhenTheGatewayIsRemote() throws Exception {
        ScriptedGateway local = gateway("laptop");
        ScriptedGateway remote = gateway("desktop");
        new FakeSessionHost(local, false).add("local001", "k-local");
        new FakeSessionHost(remote, false).add("remote01", "k-remote");
        StandaloneGatewayConnector connector = fixture.connector("");
        await(connector.connectLocal(local.endpoint()));
        AttachedSession mine = await(connector.attach(null, "local001", "k-local"));
        AttachedSession theirs = await(connector.attach(remote.endpoint(), "remote01", "k-remote"));
        assertEquals("streaming", await(mine.submit("local prompt")));
        assertEquals("streaming", await(theirs.submit("remote prompt")));
        Frame.Request localSubmit = local.requests("prompt.submit").get(0);
        Frame.Request remoteSubmit = remote.requests("prompt.submit").get(0);
        assertNull(localSubmit.params().get("sender_device")); // the local gateway stamps it itself
        assertEquals("laptop", remoteSubmit.params().get("sender_device").getAsString());
        assertFalse(remoteSubmit.params().has("submission_id")); // a June-line gateway does not know them
    }

    @Test
    void eventsReachOnlyTheirSessionsModel() throws Exception {
        ScriptedGateway remote = gateway("desktop");
        FakeSessionHost host = new FakeSessionHost(remote, false);
        host.add("s1", "k1");
        host.add("s2", "k2");
        StandaloneGatewayConnector connector = fixture.connector("laptop");
        AttachedSession one = await(connector.attach(remote.endpoint(), "s1", "k1"));
        AttachedSession two = await(connector.attach(remote.endpoint(), "s2", "k2"));
        host.startTurn("s1", "q", "desktop", "");
        host.delta("s1", "an");
        host.delta("s1", "swer");
        Await.until("the deltas", WAIT, () -> one.model().streamingText().equals("answer"));
        assertEquals(SessionActivity.WORKING, one.model().activity());
        assertEquals(SessionActivity.IDLE, two.model().activity());
        assertEquals(0, two.model().rowCount());
        host.complete("s1", "answer", "complete");
        Await.until("the turn to end", WAIT, () -> one.model().activity() == SessionActivity.IDLE);
        // a June-line gateway does not say which prompt a turn answers: the prompt typed on the desktop shows
        // at the next hydration, the answer at once
        assertEquals(List.of(TranscriptRow.assistant("answer", "", "complete")), one.model().rows());
    }

    @Test
    void aPromptTheGatewayRefusesFailsAndTheOutboxSaysWhy() throws Exception {
        ScriptedGateway remote = gateway("desktop");
        FakeSessionHost host = new FakeSessionHost(remote, false);
        host.add("s1", "k1");
        remote.handle("prompt.submit", (peer, r) -> {
            throw new ScriptedGateway.RpcError(5000, "agent failed to build");
        });
        StandaloneGatewayConnector connector = fixture.connector("laptop");
        AttachedSession s = await(connector.attach(remote.endpoint(), "s1", "k1"));
        GatewayException refused = failure(s.submit("second"));
        assertEquals("agent failed to build", refused.getMessage());
        Await.until("the outbox to show the failure", WAIT, () -> s.model().outgoing().stream()
                .anyMatch(p -> p.text().equals("second") && p.failure().equals("agent failed to build")));
    }

    @Test
    void idleRemotesArePrunedAndWorkingOnesAreKept() throws Exception {
        ScriptedGateway local = gateway("laptop");
        ScriptedGateway busyDesk = gateway("desktop");
        ScriptedGateway idleBox = gateway("buildbox");
        FakeSessionHost busyHost = new FakeSessionHost(busyDesk, false);
        busyHost.add("w1", "kw");
        new FakeSessionHost(idleBox, false).add("i1", "ki");
        StandaloneGatewayConnector connector = fixture.connector("");
        await(connector.connectLocal(local.endpoint()));
        AttachedSession working = await(connector.attach(busyDesk.endpoint(), "w1", "kw"));
        busyHost.startTurn("w1", "long job", "desktop", "");
        Await.until("the remote turn to run", WAIT, () -> working.model().activity() == SessionActivity.WORKING);
        AttachedSession idle = await(connector.attach(idleBox.endpoint(), "i1", "ki"));
        GatewayConnection idleConnection = idle.connection();
        connector.activateLocal();
        Await.until("the idle remote to be pruned", WAIT,
                () -> idleConnection.state() instanceof ConnectionState.Disconnected);
        assertTrue(working.connection().state().isConnected());
        assertTrue(idle.isDetached());
        // the working remote goes once its turn ends
        busyHost.complete("w1", "done", "complete");
        Await.until("the finished remote to be pruned", WAIT,
                () -> working.connection().state() instanceof ConnectionState.Disconnected);
        assertEquals(1, connector.connections().size());
        // a pruned session's chat can still send: it is dialed and attached again
        assertEquals("streaming", await(idle.submit("back again")));
        assertFalse(idle.isDetached());
    }

    @Test
    void answersAServerRequestOfTheNewerLineWithAResponse() throws Exception {
        ScriptedGateway remote = gateway("desktop");
        new FakeSessionHost(remote, false).add("s1", "k1");
        StandaloneGatewayConnector connector = fixture.connector("laptop");
        AttachedSession s = await(connector.attach(remote.endpoint(), "s1", "k1"));
        List<ScriptedGateway.Peer> peers = remote.peers();
        peers.get(0).request("srv-7", "approval", ScriptedGateway.object("session_id", "s1", "command", "rm -rf tmp"));
        Await.until("the approval to show", WAIT, () -> s.model().activity() == SessionActivity.NEEDS_INPUT);
        InputRequest request = s.model().pendingInputs().get(0);
        assertEquals(InputRequest.Kind.APPROVAL, request.kind());
        assertEquals(RequestId.of(new JsonPrimitive("srv-7")), request.rpcId());
        assertFalse(request.rpcId().equals(RequestId.of(new JsonPrimitive(7))));
        await(s.answer(request, "once"));
        assertEquals(SessionActivity.IDLE, s.model().activity());
        Await.until("the answer at the gateway", WAIT, () -> !remote.answers().isEmpty());
        Frame.Response answer = assertInstanceOf(Frame.Response.class, remote.answers().get(0));
        assertEquals(new JsonPrimitive("srv-7"), answer.id());
        assertEquals("once", Json.text(answer.resultObject(), "answer"));
        assertEquals(List.of(), remote.requests(Methods.APPROVAL_RESPOND), "answered as a response, not as a June-line call");
    }

    @Test
    void aServerRequestOfAnUnknownMethodOrForNoAttachedSessionIsRefused() throws Exception {
        ScriptedGateway remote = gateway("desktop");
        StandaloneGatewayConnector connector = fixture.connector("laptop");
        await(connector.ensureGatewayForEndpoint(remote.endpoint()));
        ScriptedGateway.Peer peer = remote.peers().get(0);
        peer.request("srv-1", "frobnicate", new JsonObject());
        peer.request("srv-2", "clarify", ScriptedGateway.object("session_id", "nobody", "question", "Which?"));
        Await.until("both refusals", WAIT, () -> remote.answers().size() == 2);
        Frame.Failure unknown = assertInstanceOf(Frame.Failure.class, remote.answers().get(0));
        assertEquals(new JsonPrimitive("srv-1"), unknown.id());
        assertEquals(JsonRpcCodes.METHOD_NOT_FOUND, unknown.code());
        Frame.Failure unattached = assertInstanceOf(Frame.Failure.class, remote.answers().get(1));
        assertEquals(new JsonPrimitive("srv-2"), unattached.id());
        assertEquals(JsonRpcCodes.SESSION_NOT_FOUND, unattached.code());
    }
}
