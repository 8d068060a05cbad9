package org.agentchannels.ui.internal.views;

import org.agentchannels.ui.internal.Messages;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.part.ViewPart;

/**
 * Live on other devices: the sessions that other devices' gateways advertise. Until presence sources
 * are connected to it, the view explains how such sessions appear.
 */
public final class LiveSessionsView extends ViewPart {

    private Composite emptyPage;

    @Override
    public void createPartControl(Composite parent) {
        emptyPage = createEmptyPage(parent);
    }

    /** The page shown while no remote session is known: what would appear here, and how to make it appear. */
    private static Composite createEmptyPage(Composite parent) {
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
        return page;
    }

    /** @return whether the view shows its empty state (no remote session known) */
    public boolean isShowingEmptyState() {
        return emptyPage != null && !emptyPage.isDisposed() && emptyPage.isVisible();
    }

    @Override
    public void setFocus() {
        emptyPage.setFocus();
    }
}
