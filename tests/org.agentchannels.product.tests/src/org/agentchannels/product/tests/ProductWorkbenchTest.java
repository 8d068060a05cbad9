package org.agentchannels.product.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agentchannels.connector.GatewayConnector;
import org.agentchannels.presence.PresenceTracker;
import org.agentchannels.product.AgentChannelsProduct;
import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.views.LiveSessionsView;
import org.eclipse.core.runtime.IProduct;
import org.eclipse.core.runtime.Platform;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
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
    void hasTheMenusOfAStandaloneWorkbench() {
        IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        var items = window.getShell().getMenuBar().getItems();
        assertEquals(3, items.length);
        assertEquals("&File", items[0].getText());
        assertEquals("&Window", items[1].getText());
        assertEquals("&Help", items[2].getText());
    }
}
