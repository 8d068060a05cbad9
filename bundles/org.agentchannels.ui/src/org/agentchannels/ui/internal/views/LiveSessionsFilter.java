package org.agentchannels.ui.internal.views;

import java.util.Locale;
import java.util.function.Supplier;

import org.agentchannels.core.presence.RemoteDevice;
import org.agentchannels.core.presence.RemoteSession;
import org.eclipse.jface.viewers.Viewer;
import org.eclipse.jface.viewers.ViewerFilter;

/** The Live view's filter box: a session matches by title, device, model or status, ignoring case; a device by any of its sessions. */
final class LiveSessionsFilter extends ViewerFilter {

    private final Supplier<String> wanted;
    private final LiveSessionsContentProvider content;

    /** @param wanted what the filter box holds now */
    LiveSessionsFilter(Supplier<String> wanted, LiveSessionsContentProvider content) {
        this.wanted = wanted;
        this.content = content;
    }

    @Override
    public boolean select(Viewer viewer, Object parent, Object element) {
        String text = wanted.get().strip().toLowerCase(Locale.ROOT);
        if (text.isEmpty()) {
            return true;
        }
        if (element instanceof RemoteDevice d) {
            return content.sessionsOf(d).stream().anyMatch(s -> matches(s, text));
        }
        return element instanceof RemoteSession s && matches(s, text);
    }

    static boolean matches(RemoteSession s, String text) {
        return (s.title() + " " + s.host() + " " + s.model() + " " + s.status()).toLowerCase(Locale.ROOT).contains(text);
    }
}
