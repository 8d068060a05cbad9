package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.ConnectionState;
import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.GatewayConnector;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.connector.TokenStore;
import org.agentchannels.core.session.SessionModel;
import org.agentchannels.presence.DefaultPresenceTracker;
import org.agentchannels.presence.PresenceTracker;
import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.FakeSessionHost;
import org.agentchannels.tests.support.ScriptedGateway;
import org.agentchannels.ui.internal.AgentChannelsServices;
import org.agentchannels.ui.internal.chat.ChatEditor;
import org.agentchannels.ui.internal.chat.SessionController;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonElement;

/**
 * A chat's session controller closed before its attach has finished: it leaves no listener on the
 * connector, detaches whatever the gateway hands it afterwards, and tells the closed chat nothing.
 * The gateway is a scripted one on loopback that holds its answer to {@code session.activate}.
 */
@ExtendWith(NoErrorLoggedExtension.class)
class SessionControllerTest {

    private static final String ID = "a0b0c000";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private ScriptedGateway gateway;
    private FakeSessionHost host;
    private StandaloneGatewayConnector realConnector;
    private ListenerCountingConnector connector;
    private final CompletableFuture<Runnable> heldActivate = new CompletableFuture<>();
    private final List<Set<SessionModel.Change>> delivered = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startAGatewayThatHoldsItsAnswerToActivate() throws Exception {
        gateway = new ScriptedGateway().deviceName("desk").start();
        host = new FakeSessionHost(gateway, true);
        host.add(ID, "20261124_120000_abcdef");
        ScriptedGateway.Handler activate = gateway.handler("session.activate");
        gateway.handle("session.activate", (peer, request) -> {
            JsonElement answer = activate.handle(peer, request);
            heldActivate.complete(() -> peer.respond(request.id(), answer));
            return null; // answered when the test lets it go
        });
        // paired, as a person pairs a gateway that asks for no token: here and in the workbench
        InMemoryTokenStore tokens = new InMemoryTokenStore();
        tokens.trustWithoutToken(gateway.endpoint());
        Ui.tokens().trustWithoutToken(gateway.endpoint());
        realConnector = GatewayConnectors.standalone(tokens, "laptop", ConnectorExtension.fastBackoff());
        connector = new ListenerCountingConnector(realConnector);
    }

    @AfterEach
    void stop() throws Exception {
        heldActivate.thenAccept(Runnable::run);
        for (AutoCloseable c : toClose) {
            c.close();
        }
        realConnector.close();
        Ui.tokens().remove(gateway.endpoint());
        gateway.close();
    }

    private SessionController controller(CompletableFuture<Void> configured) {
        return controllerWith(CompletableFuture.completedFuture(services(configured)));
    }

    private SessionController controllerWith(CompletableFuture<AgentChannelsServices> services) {
        return new SessionController(gateway.endpoint(), ID, "", "Held", services, delivered::add);
    }

    private AgentChannelsServices services(CompletableFuture<Void> configured) {
        DefaultPresenceTracker presence = new DefaultPresenceTracker(connector, Clock.systemUTC(),
                DefaultPresenceTracker.POLL_INTERVAL);
        toClose.add(presence);
        return new Services(connector, presence, new InMemoryTokenStore(), configured);
    }

    @Test
    void closedBeforeTheServicesArriveItNeverListensNorAttaches() throws Exception {
        CompletableFuture<AgentChannelsServices> services = new CompletableFuture<>();
        SessionController controller = controllerWith(services);
        controller.attach();
        controller.close();
        services.complete(services(CompletableFuture.completedFuture(null)));
        Await.until("the attach Job to end", WAIT, () -> !controller.isAttaching());
        assertEquals(0, connector.listeners(), "no listener added after the close");
        assertTrue(gateway.requests("session.activate").isEmpty(), "a closed chat attaches nothing");
        assertNull(controller.session());
        assertEquals(List.of(), delivered);
    }

    @Test
    void closedWhileTheAttachWaitsForThePreferencesItRemovesItsListenerAndNeverAttaches() throws Exception {
        CompletableFuture<Void> configured = new CompletableFuture<>();
        SessionController controller = controller(configured);
        controller.attach();
        Await.until("the attach Job listening to the connector", WAIT, () -> connector.listeners() == 1);

        controller.close();
        assertEquals(0, connector.listeners(), "the close removed the connection listener");
        configured.complete(null);
        Await.until("the attach Job to end", WAIT, () -> !controller.isAttaching());
        assertEquals(0, connector.listeners());
        assertTrue(gateway.requests("session.activate").isEmpty(), "a closed chat attaches nothing");
        assertNull(controller.session());
        assertEquals(List.of(), delivered);
    }

    @Test
    void closedWhileTheGatewayAnswersItDetachesWhatItGetsAndTellsNothing() throws Exception {
        SessionController controller = controller(CompletableFuture.completedFuture(null));
        controller.attach();
        Runnable answer = heldActivate.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(1, connector.listeners());

        controller.close();
        assertEquals(0, connector.listeners(), "the close removed the connection listener");
        Await.until("the attach Job to end", WAIT, () -> !controller.isAttaching());
        answer.run(); // the gateway answers the activate after the chat closed
        AttachedSession late = connector.lastAttach.get().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Await.until("the late session detached", WAIT, () -> !realConnector.attachedSessions().contains(late));
        assertNull(controller.session());

        // the session's events and the connection's ups and downs reach no one
        host.startTurn(ID, "from the desk", "desk", "");
        host.complete(ID, "done", "complete");
        GatewayConnection connection = realConnector.gatewayForEndpoint(gateway.endpoint()).get(WAIT.toSeconds(),
                TimeUnit.SECONDS);
        connection.ping().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        AtomicInteger dropped = new AtomicInteger();
        realConnector.addListener(new GatewayConnector.Listener() {
            @Override
            public void connectionStateChanged(GatewayConnection c, ConnectionState state) {
                if (!(state instanceof ConnectionState.Connected)) {
                    dropped.incrementAndGet();
                }
            }
        });
        gateway.dropAll();
        Await.until("the connection dropped", WAIT, () -> dropped.get() > 0);
        assertEquals(List.of(), delivered, "a closed chat is told nothing");
    }

    @Test
    void aChatClosedBeforeItsAttachFinishesLeavesNoSessionAttachedInTheWorkbench() throws Exception {
        ChatEditor chat = ChatEditor.open(Ui.page(), gateway.endpoint(), ID, "", "Held", "desk");
        Runnable answer = heldActivate.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        SessionController controller = chat.controller();
        Ui.page().closeEditor(chat, false);
        Ui.await("the attach Job to end", () -> !controller.isAttaching());

        GatewayConnector workbench = Ui.services().connector();
        GatewayConnection connection = workbench.gatewayForEndpoint(gateway.endpoint()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        answer.run();
        // answered in order on the same connection: once the ping is back, the activate's answer was handled
        connection.ping().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Ui.await("the late session detached", () -> workbench.attachedSessions().stream().noneMatch(s -> ID.equals(s.sessionId())));
        assertNull(controller.session());
        assertEquals(1, gateway.requests("session.activate").size());
        workbench.pruneIdleRemotes(); // nothing of this test's gateway stays in the workbench
    }

    private record Services(GatewayConnector connector, PresenceTracker presence, TokenStore tokens,
            CompletableFuture<Void> configured) implements AgentChannelsServices {
    }

    /** The connector, counting the listeners added and not yet removed, and keeping the last attach's future. */
    private static final class ListenerCountingConnector implements GatewayConnector {
        private final GatewayConnector delegate;
        private final AtomicInteger listeners = new AtomicInteger();
        final AtomicReference<CompletableFuture<AttachedSession>> lastAttach = new AtomicReference<>();

        ListenerCountingConnector(GatewayConnector delegate) {
            this.delegate = delegate;
        }

        int listeners() {
            return listeners.get();
        }

        @Override
        public void addListener(Listener listener) {
            listeners.incrementAndGet();
            delegate.addListener(listener);
        }

        @Override
        public void removeListener(Listener listener) {
            listeners.decrementAndGet();
            delegate.removeListener(listener);
        }

        @Override
        public CompletableFuture<AttachedSession> attach(String endpoint, String sessionId, String sessionKey,
                String knownTitle) {
            CompletableFuture<AttachedSession> attach = delegate.attach(endpoint, sessionId, sessionKey, knownTitle);
            lastAttach.set(attach);
            return attach;
        }

        @Override
        public CompletableFuture<GatewayConnection> connectLocal(String endpoint) {
            return delegate.connectLocal(endpoint);
        }

        @Override
        public Optional<GatewayConnection> localGateway() {
            return delegate.localGateway();
        }

        @Override
        public CompletableFuture<GatewayConnection> ensureGatewayForEndpoint(String endpoint) {
            return delegate.ensureGatewayForEndpoint(endpoint);
        }

        @Override
        public CompletableFuture<GatewayConnection> gatewayForEndpoint(String endpoint) {
            return delegate.gatewayForEndpoint(endpoint);
        }

        @Override
        public boolean isPaired(String endpoint) {
            return delegate.isPaired(endpoint);
        }

        @Override
        public void activateLocal() {
            delegate.activateLocal();
        }

        @Override
        public Optional<GatewayConnection> activeGateway() {
            return delegate.activeGateway();
        }

        @Override
        public boolean activeBackendIsRemote() {
            return delegate.activeBackendIsRemote();
        }

        @Override
        public boolean isRemote(GatewayConnection connection) {
            return delegate.isRemote(connection);
        }

        @Override
        public String localDeviceName() {
            return delegate.localDeviceName();
        }

        @Override
        public void setConfiguredDeviceName(String name) {
            delegate.setConfiguredDeviceName(name);
        }

        @Override
        public CompletableFuture<AttachedSession> createSession(String endpoint, String title, String cwd, String agent) {
            return delegate.createSession(endpoint, title, cwd, agent);
        }

        @Override
        public List<AttachedSession> attachedSessions() {
            return delegate.attachedSessions();
        }

        @Override
        public void detach(AttachedSession session) {
            delegate.detach(session);
        }

        @Override
        public void pruneIdleRemotes() {
            delegate.pruneIdleRemotes();
        }

        @Override
        public List<GatewayConnection> connections() {
            return delegate.connections();
        }
    }
}
