package org.agentchannels.product.internal;

import org.eclipse.osgi.util.NLS;

/** The product's user-visible strings; translations sit beside messages.properties. */
public final class Messages extends NLS {

    private static final String BUNDLE_NAME = "org.agentchannels.product.internal.messages"; //$NON-NLS-1$

    public static String Menu_file;
    public static String Menu_window;
    public static String Menu_showView;
    public static String Menu_help;

    static {
        NLS.initializeMessages(BUNDLE_NAME, Messages.class);
    }

    private Messages() {
    }
}
