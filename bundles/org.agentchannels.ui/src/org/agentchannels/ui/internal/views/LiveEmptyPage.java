package org.agentchannels.ui.internal.views;

import java.util.function.Supplier;

import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.Messages;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Link;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.dialogs.PreferencesUtil;

/** The Live view's page while no remote session is known: what would appear there, and how to make it appear. */
final class LiveEmptyPage {

    private LiveEmptyPage() {
    }

    /** @param shell the shell the preferences open over */
    static Composite create(Composite parent, Supplier<Shell> shell) {
        Composite page = new Composite(parent, SWT.NONE);
        GridLayoutFactory.swtDefaults().margins(12, 12).spacing(0, 8).applyTo(page);

        Label title = new Label(page, SWT.WRAP);
        title.setText(Messages.LiveView_emptyTitle);
        title.setFont(JFaceResources.getFontRegistry().getBold(JFaceResources.DIALOG_FONT));
        GridDataFactory.fillDefaults().grab(true, false).hint(200, SWT.DEFAULT).applyTo(title);

        Label body = new Label(page, SWT.WRAP);
        body.setText(Messages.LiveView_emptyBody);
        GridDataFactory.fillDefaults().grab(true, false).hint(200, SWT.DEFAULT).applyTo(body);

        Label howTo = new Label(page, SWT.WRAP);
        howTo.setText(Messages.LiveView_emptyHowTo);
        GridDataFactory.fillDefaults().grab(true, false).hint(200, SWT.DEFAULT).applyTo(howTo);

        Link preferences = new Link(page, SWT.WRAP);
        preferences.setText(Messages.LiveView_emptyPreferencesLink);
        preferences.addListener(SWT.Selection, e -> PreferencesUtil.createPreferenceDialogOn(shell.get(),
                AgentChannelsUi.PREFERENCE_PAGE_ID, null, null).open());
        GridDataFactory.fillDefaults().grab(true, false).hint(200, SWT.DEFAULT).applyTo(preferences);
        return page;
    }
}
