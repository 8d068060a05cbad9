package org.agentchannels.product.internal;

import org.agentchannels.product.AgentChannelsProduct;
import org.agentchannels.ui.AgentChannelsUi;
import org.eclipse.core.runtime.Platform;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.application.ActionBarAdvisor;
import org.eclipse.ui.application.IActionBarConfigurer;
import org.eclipse.ui.application.IWorkbenchWindowConfigurer;
import org.eclipse.ui.application.WorkbenchWindowAdvisor;
import org.eclipse.ui.dialogs.PreferencesUtil;

final class AgentChannelsWindowAdvisor extends WorkbenchWindowAdvisor {

    AgentChannelsWindowAdvisor(IWorkbenchWindowConfigurer configurer) {
        super(configurer);
    }

    @Override
    public ActionBarAdvisor createActionBarAdvisor(IActionBarConfigurer configurer) {
        return new AgentChannelsActionBarAdvisor(configurer);
    }

    /**
     * A product setting for the screenshot script ({@code org.agentchannels.product/openPreferencesAtStart=true}
     * in the plugin customization): the Agent Channels preferences open once the window is up.
     */
    static final String OPEN_PREFERENCES_AT_START = "openPreferencesAtStart";

    @Override
    public void postWindowOpen() {
        StartupMarks.windowOpened();
        if (Platform.getPreferencesService().getBoolean(AgentChannelsProduct.PLUGIN_ID, OPEN_PREFERENCES_AT_START, false, null)) {
            Shell shell = getWindowConfigurer().getWindow().getShell();
            shell.getDisplay().asyncExec(() -> {
                PreferenceDialog dialog = PreferencesUtil.createPreferenceDialogOn(shell, AgentChannelsUi.PREFERENCE_PAGE_ID,
                        null, null);
                dialog.setBlockOnOpen(false);
                dialog.open();
            });
        }
    }

    @Override
    public void preWindowOpen() {
        IWorkbenchWindowConfigurer configurer = getWindowConfigurer();
        configurer.setInitialSize(new Point(1280, 800));
        configurer.setShowCoolBar(false);
        configurer.setShowStatusLine(true);
        configurer.setShowProgressIndicator(true);
        configurer.setShowPerspectiveBar(false);
    }
}
