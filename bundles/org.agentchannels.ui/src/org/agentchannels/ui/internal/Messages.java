package org.agentchannels.ui.internal;

import org.eclipse.osgi.util.NLS;

/** The user-visible strings of the workbench UI; translations sit beside messages.properties. */
public final class Messages extends NLS {

    private static final String BUNDLE_NAME = "org.agentchannels.ui.internal.messages"; //$NON-NLS-1$

    public static String LiveView_emptyTitle;
    public static String LiveView_emptyBody;
    public static String LiveView_emptyHowTo;

    static {
        NLS.initializeMessages(BUNDLE_NAME, Messages.class);
    }

    private Messages() {
    }
}
