package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.agentchannels.tests.support.Await;
import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.views.LiveSessionsView;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.views.IViewCategory;
import org.eclipse.ui.views.IViewDescriptor;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;

/** Opens the Live on other devices view in a running IDE workbench and checks what a person sees. */
@ExtendWith(NoErrorLoggedExtension.class)
class LiveSessionsViewTest {

    private IWorkbenchPage page() {
        return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
    }

    @AfterEach
    void closeView() {
        IViewPart view = page().findView(AgentChannelsUi.LIVE_VIEW_ID);
        if (view != null) {
            page().hideView(view);
        }
    }

    @Test
    void runsOnTheUiThreadOfARealWorkbench() {
        assertNotNull(Display.getCurrent(), "the test must run on the UI thread");
        assertTrue(PlatformUI.isWorkbenchRunning());
    }

    @Test
    void isContributedUnderItsCategoryWithItsLocalizedName() {
        IViewDescriptor descriptor = PlatformUI.getWorkbench().getViewRegistry().find(AgentChannelsUi.LIVE_VIEW_ID);
        assertNotNull(descriptor, "the view is registered");
        assertEquals("Live on other devices", descriptor.getLabel());
        IViewCategory category = Arrays.stream(PlatformUI.getWorkbench().getViewRegistry().getCategories())
                .filter(c -> c.getId().equals(AgentChannelsUi.VIEW_CATEGORY_ID)).findFirst().orElseThrow();
        assertEquals("Agent Channels", category.getLabel());
        assertTrue(Arrays.asList(category.getViews()).contains(descriptor), "the view sits in the Agent Channels category");
        assertNotNull(descriptor.getImageDescriptor(), "the view has its icon");
    }

    @Test
    void opensShowingItsEmptyStateWithGuidance() throws PartInitException {
        IViewPart part = page().showView(AgentChannelsUi.LIVE_VIEW_ID);
        LiveSessionsView view = (LiveSessionsView) part;
        Display display = Display.getCurrent();
        Await.until("the view to be painted", Duration.ofSeconds(20), view::isShowingEmptyState, () -> {
            while (display.readAndDispatch()) {
                // drain the pending events
            }
        });
        assertEquals("Live on other devices", part.getTitle());

        List<String> texts = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        collectLabels(view.getViewSite().getShell(), labels);
        for (Label label : labels) {
            if (label.isVisible()) {
                texts.add(label.getText());
            }
        }
        assertTrue(texts.contains(Messages.LiveView_emptyTitle), texts::toString);
        assertTrue(texts.contains(Messages.LiveView_emptyBody), texts::toString);
        assertTrue(texts.contains(Messages.LiveView_emptyHowTo), texts::toString);
        assertEquals("No sessions are live on your other devices", Messages.LiveView_emptyTitle,
                "the test runs in English, so the English string is shown");
    }

    @Test
    void theDarkThemeHasAStylesheetForTheChat() throws Exception {
        var contributions = org.eclipse.core.runtime.Platform.getExtensionRegistry()
                .getConfigurationElementsFor("org.eclipse.e4.ui.css.swt.theme");
        var ours = Arrays.stream(contributions)
                .filter(e -> e.getContributor().getName().equals(AgentChannelsUi.PLUGIN_ID) && "stylesheet".equals(e.getName()))
                .findFirst().orElseThrow();
        assertEquals("org.eclipse.e4.ui.css.theme.e4_dark", ours.getChildren("themeid")[0].getAttribute("refid"));
        String css;
        try (var in = org.eclipse.core.runtime.FileLocator.openStream(FrameworkUtil.getBundle(AgentChannelsUi.class),
                new org.eclipse.core.runtime.Path(ours.getAttribute("uri")), false)) {
            css = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertTrue(css.contains("#AgentChannelsTranscript"), css);
    }

    @Test
    void theAgentChannelsPerspectiveOpensWithTheLiveView() {
        IWorkbenchPage page = page();
        page.setPerspective(PlatformUI.getWorkbench().getPerspectiveRegistry()
                .findPerspectiveWithId(AgentChannelsUi.PERSPECTIVE_ID));
        assertEquals(AgentChannelsUi.PERSPECTIVE_ID, page.getPerspective().getId());
        assertNotNull(page.findView(AgentChannelsUi.LIVE_VIEW_ID), "the perspective shows the Live view");
        page.closePerspective(page.getPerspective(), false, false);
    }

    private static void collectLabels(Composite parent, List<Label> into) {
        for (Control child : parent.getChildren()) {
            if (child instanceof Label label) {
                into.add(label);
            } else if (child instanceof Composite composite) {
                collectLabels(composite, into);
            }
        }
    }
}
