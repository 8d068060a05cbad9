package org.agentchannels.ui.internal.views;

import org.agentchannels.core.presence.RemoteDevice;
import org.agentchannels.core.presence.RemoteSession;
import org.eclipse.jface.viewers.IElementComparer;

/** Rows are the same row while their session (or device) is, so selection and expansion survive updates. */
final class LiveSessionsComparer implements IElementComparer {

    @Override
    public boolean equals(Object a, Object b) {
        return key(a).equals(key(b));
    }

    @Override
    public int hashCode(Object element) {
        return key(element).hashCode();
    }

    private static String key(Object o) {
        return switch (o) {
            case RemoteSession s -> "s:" + s.sessionId();
            case RemoteDevice d -> "d:" + d.endpoint();
            default -> String.valueOf(o);
        };
    }
}
