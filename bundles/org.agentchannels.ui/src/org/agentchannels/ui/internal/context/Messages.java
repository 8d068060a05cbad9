package org.agentchannels.ui.internal.context;

import org.eclipse.osgi.util.NLS;

/** The strings of Send Selection / Send File to Agent Chat; translations sit beside messages.properties. */
public final class Messages extends NLS {

    private static final String BUNDLE_NAME = "org.agentchannels.ui.internal.context.messages"; //$NON-NLS-1$

    public static String SendToChat_title;
    public static String SendToChat_noChat;
    public static String SendToChat_pickChat;
    public static String SendToChat_noText;
    public static String SendToChat_noSelection;
    public static String SendToChat_notText;
    public static String SendToChat_tooLarge;
    public static String SendToChat_readFailed;
    public static String SendToChat_outsideProject;
    public static String SendToChat_tooManyFiles;
    public static String SendToChat_reading;
    public static String SendToChat_remoteTitle;
    public static String SendToChat_remoteMessage;
    public static String SendToChat_remoteSend;

    static {
        NLS.initializeMessages(BUNDLE_NAME, Messages.class);
    }

    private Messages() {
    }
}
