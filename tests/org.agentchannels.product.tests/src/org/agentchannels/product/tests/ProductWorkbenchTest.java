package org.agentchannels.product.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.agentchannels.connector.GatewayConnector;
import org.agentchannels.presence.PresenceTracker;
import org.agentchannels.product.AgentChannelsProduct;
import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.views.LiveSessionsView;
import org.eclipse.core.runtime.IProduct;
import org.eclipse.core.runtime.Platform;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.IHandlerService;
import org.eclipse.ui.keys.IBindingService;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.Version;
import org.osgi.util.tracker.ServiceTracker;

/** The standalone product starts into the Agent Channels perspective with the Live view showing. */
class ProductWorkbenchTest {

    @Test
    void runsAsTheAgentChannelsProduct() {
        IProduct product = Platform.getProduct();
        assertNotNull(product, "a product is running");
        assertEquals(AgentChannelsProduct.PRODUCT_ID, product.getId());
        assertEquals(AgentChannelsProduct.APPLICATION_ID, product.getApplication());
        assertEquals("Agent Channels", product.getName());
    }

    @Test
    void opensTheAgentChannelsPerspectiveWithTheLiveView() {
        IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        assertNotNull(window, "the workbench window is open");
        IWorkbenchPage page = window.getActivePage();
        assertEquals(AgentChannelsUi.PERSPECTIVE_ID, page.getPerspective().getId());
        IViewPart live = page.findView(AgentChannelsUi.LIVE_VIEW_ID);
        assertNotNull(live, "the Live on other devices view is part of the perspective");
        assertTrue(page.isPartVisible(live), "and it is visible");
        assertTrue(((LiveSessionsView) live).isShowingEmptyState(), "with no other device known it shows its empty state");
        assertTrue(window.getShell().getText().contains("Agent Channels"), window.getShell().getText());
    }

    @Test
    void startsTheConnectorAndPresenceServicesWithWhatTheProductShips() throws Exception {
        // activating the connector starts Jetty's WebSocket client: a bundle the product lacks fails here
        BundleContext context = FrameworkUtil.getBundle(ProductWorkbenchTest.class).getBundleContext();
        ServiceTracker<GatewayConnector, GatewayConnector> connectors = new ServiceTracker<>(context, GatewayConnector.class, null);
        ServiceTracker<PresenceTracker, PresenceTracker> trackers = new ServiceTracker<>(context, PresenceTracker.class, null);
        connectors.open();
        trackers.open();
        try {
            GatewayConnector connector = connectors.waitForService(10_000);
            assertNotNull(connector, "the GatewayConnector service is registered and activates");
            assertTrue(connector.connections().isEmpty());
            assertFalse(connector.localDeviceName().isEmpty(), "without a gateway, this device is named after its host");
            PresenceTracker presence = trackers.waitForService(10_000);
            assertNotNull(presence, "the PresenceTracker service is registered and activates");
            assertTrue(presence.current().isEmpty());
        } finally {
            connectors.close();
            trackers.close();
        }
    }

    @Test
    void quickAccessAndKeyAssistHaveTheirKeysAndOpen() throws Exception {
        IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        IBindingService bindings = window.getService(IBindingService.class);
        assertTrue(List.of(bindings.getActiveBindingsFor("org.eclipse.ui.window.quickAccess")).stream()
                .anyMatch(k -> k.format().equals("Ctrl+3")), "Quick Access on Ctrl+3");
        assertTrue(List.of(bindings.getActiveBindingsFor("org.eclipse.ui.window.showKeyAssist")).stream()
                .anyMatch(k -> k.format().equals("Shift+Ctrl+L") || k.format().equals("Ctrl+Shift+L")), "Key Assist on Ctrl+Shift+L");
        IHandlerService handlers = window.getService(IHandlerService.class);
        for (String command : List.of("org.eclipse.ui.window.quickAccess", "org.eclipse.ui.window.showKeyAssist")) {
            Display display = window.getShell().getDisplay();
            Set<Shell> before = Set.of(display.getShells());
            handlers.executeCommand(command, null);
            List<Shell> opened = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 10_000;
            while (opened.isEmpty() && System.currentTimeMillis() < deadline) {
                while (display.readAndDispatch()) {
                    // let the popup open
                }
                for (Shell shell : display.getShells()) {
                    if (!before.contains(shell) && shell.isVisible()) {
                        opened.add(shell);
                    }
                }
            }
            assertFalse(opened.isEmpty(), command + " opened nothing");
            opened.forEach(Shell::close);
        }
    }

    @Test
    void helpAboutNamesTheVersion() throws Exception {
        String about = Platform.getProduct().getProperty("aboutText");
        assertTrue(about.contains("{0}"), about);
        Bundle product = Platform.getBundle(AgentChannelsProduct.PLUGIN_ID);
        Properties mappings = new Properties();
        try (var in = product.getEntry("about.mappings").openStream()) {
            mappings.load(in);
        }
        Version v = product.getVersion();
        assertEquals(v.getMajor() + "." + v.getMinor() + "." + v.getMicro(), mappings.getProperty("0"),
                "about.mappings names this release's version");
    }

    @Test
    void hasTheMenusOfAStandaloneWorkbench() {
        IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        var items = window.getShell().getMenuBar().getItems();
        assertEquals(3, items.length);
        assertEquals("&File", items[0].getText());
        assertEquals("&Window", items[1].getText());
        assertEquals("&Help", items[2].getText());
    }
}
