package org.agentchannels.ui.internal.views;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.agentchannels.core.presence.RemoteDevice;
import org.agentchannels.core.presence.RemoteSession;
import org.agentchannels.core.presence.RemoteSessions;
import org.eclipse.jface.viewers.ITreeContentProvider;
import org.eclipse.jface.viewers.Viewer;

/**
 * The Live view's tree over a {@link RemoteSessions} snapshot: devices (when grouped), ordered by their
 * newest session, holding their sessions newest first; the sessions alone otherwise. Sessions claimed by more
 * than one gateway belong to no device: they are grouped under {@link #CONFLICTS}.
 */
final class LiveSessionsContentProvider implements ITreeContentProvider {

    /** The group of the sessions claimed by more than one gateway: no endpoint, so nothing to dial. */
    static final RemoteDevice CONFLICTS = new RemoteDevice("", "");

    private volatile RemoteSessions input = RemoteSessions.empty();
    private boolean grouped = true;

    boolean isGrouped() {
        return grouped;
    }

    /** Shows the sessions under their devices, or as one list; the viewer is refreshed by the caller. */
    void setGrouped(boolean grouped) {
        this.grouped = grouped;
    }

    @Override
    public void inputChanged(Viewer viewer, Object oldInput, Object newInput) {
        input = newInput instanceof RemoteSessions s ? s : RemoteSessions.empty();
    }

    @Override
    public Object[] getElements(Object element) {
        if (!(element instanceof RemoteSessions s)) {
            return new Object[0];
        }
        return grouped ? devicesInOrder(s).toArray() : s.sessions().toArray();
    }

    @Override
    public Object[] getChildren(Object parent) {
        return parent instanceof RemoteDevice d ? sessionsOf(d).toArray() : new Object[0];
    }

    @Override
    public Object getParent(Object element) {
        return element instanceof RemoteSession s && grouped ? deviceOf(s) : null;
    }

    @Override
    public boolean hasChildren(Object element) {
        return element instanceof RemoteDevice;
    }

    /** The sessions of the shown snapshot that live on {@code device}. */
    List<RemoteSession> sessionsOf(RemoteDevice device) {
        return input.sessions().stream().filter(s -> s.endpoint().equals(device.endpoint())).toList();
    }

    /** Devices ordered by their newest session, so the device with the latest activity comes first. */
    private static List<RemoteDevice> devicesInOrder(RemoteSessions s) {
        Map<String, RemoteDevice> byEndpoint = new LinkedHashMap<>();
        for (RemoteSession session : s.sessions()) {
            byEndpoint.putIfAbsent(session.endpoint(), deviceOf(session));
        }
        return new ArrayList<>(byEndpoint.values());
    }

    /** The device row {@code session} sits under. */
    static RemoteDevice deviceOf(RemoteSession session) {
        return session.isConflicting() ? CONFLICTS : new RemoteDevice(session.endpoint(), session.host());
    }
}
