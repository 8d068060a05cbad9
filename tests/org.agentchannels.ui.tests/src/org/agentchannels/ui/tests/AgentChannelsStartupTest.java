package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.presence.DefaultPresenceTracker;
import org.agentchannels.ui.internal.AgentChannelsStartup;
import org.agentchannels.ui.internal.UiPreferences;
import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.agentchannels.tests.support.ConnectorExtension;
import org.eclipse.core.runtime.ILogListener;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up component: Declarative Services starts it with the services; it applies the preferences in
 * a Job, bridges the connector's log into the platform log, and undoes all of it when deactivated.
 */
@ExtendWith(NoErrorLoggedExtension.class)
class AgentChannelsStartupTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        UiPreferences.node().remove(UiPreferences.DEVICE_NAME);
        UiPreferences.node().remove(UiPreferences.PAIRING_FILE);
        UiPreferences.node().remove(UiPreferences.PRESENCE_DIRECTORY);
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    @Test
    void aWarningLoggedByTheConnectorInTheWorkbenchReachesThePlatformLog() {
        Ui.services(); // the start-up component is active
        List<IStatus> logged = new CopyOnWriteArrayList<>();
        ILogListener listener = (status, plugin) -> logged.add(status);
        Platform.addLogListener(listener);
        try {
            String marker = "a warning from the connector " + UUID.randomUUID();
            System.getLogger("org.agentchannels.connector.internal.DefaultGatewayConnector").log(System.Logger.Level.WARNING, marker);
            Ui.await("the warning in the platform log", () -> logged.stream().anyMatch(s -> s.getMessage().equals(marker)));
            IStatus status = logged.stream().filter(s -> s.getMessage().equals(marker)).findFirst().orElseThrow();
            assertEquals(IStatus.WARNING, status.getSeverity());
            assertEquals("org.agentchannels.connector", status.getPlugin(), "logged as the connector bundle's");
        } finally {
            Platform.removeLogListener(listener);
        }
    }

    @Test
    void itAppliesThePreferencesInAJobAndRemovesItsLogBridgeWhenDeactivated() throws Exception {
        Path pairings = dir.resolve("pairings.txt");
        Files.writeString(pairings, "# paired by a script\nws://192.0.2.7:8664/api/ws s3cret-token-value\n");
        Files.setPosixFilePermissions(pairings, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Path presenceFolder = Files.createDirectories(dir.resolve("presence"));
        UiPreferences.node().put(UiPreferences.DEVICE_NAME, "studio");
        UiPreferences.node().put(UiPreferences.PAIRING_FILE, pairings.toString());
        UiPreferences.node().put(UiPreferences.PRESENCE_DIRECTORY, presenceFolder.toString());
        InMemoryTokenStore tokens = new InMemoryTokenStore();
        StandaloneGatewayConnector connector = GatewayConnectors.standalone(tokens, "", ConnectorExtension.fastBackoff());
        toClose.add(connector);
        DefaultPresenceTracker presence = new DefaultPresenceTracker(connector, Clock.systemUTC(), Duration.ofSeconds(5));
        toClose.add(presence);
        int handlersBefore = Logger.getLogger("org.agentchannels").getHandlers().length;

        AgentChannelsStartup startup = new AgentChannelsStartup(connector, presence, tokens);
        try {
            assertEquals(handlersBefore + 1, Logger.getLogger("org.agentchannels").getHandlers().length);
            startup.configured().get(30, TimeUnit.SECONDS);
            assertEquals("studio", connector.localDeviceName());
            assertEquals(Optional.of("s3cret-token-value"), tokens.token("ws://192.0.2.7:8664/api/ws"));
            assertEquals(Optional.of(presenceFolder), presence.presenceDirectory());
        } finally {
            startup.deactivate();
        }
        assertEquals(handlersBefore, Logger.getLogger("org.agentchannels").getHandlers().length,
                "the bridge is gone with the component");
        assertTrue(startup.configured().isDone());
    }
}
