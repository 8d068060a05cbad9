package org.agentchannels.ui.internal.chat;

import java.util.Objects;

import org.agentchannels.core.DeviceNames;
import org.agentchannels.core.DisplayText;
import org.agentchannels.ui.internal.Messages;
import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.osgi.util.NLS;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.IMemento;
import org.eclipse.ui.IPersistableElement;

/**
 * A session to chat with: where it lives and its ids. Two inputs naming the same session (by runtime id or
 * stored key, on the same gateway) are equal, so opening it again brings its editor forward.
 *
 * @param endpoint the gateway's endpoint; empty for this device's own gateway
 */
public record ChatEditorInput(String endpoint, String sessionId, String sessionKey, String title, String host)
        implements IEditorInput {

    public ChatEditorInput {
        endpoint = endpoint == null ? "" : endpoint.trim();
        sessionId = sessionId == null ? "" : sessionId;
        sessionKey = sessionKey == null ? "" : sessionKey;
        title = DisplayText.title(title); // also one restored from a workbench saved by an older version
        host = DeviceNames.sanitize(host);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ChatEditorInput other) || !endpoint.equals(other.endpoint)) {
            return false;
        }
        return (!sessionId.isEmpty() && sessionId.equals(other.sessionId))
                || (!sessionKey.isEmpty() && sessionKey.equals(other.sessionKey));
    }

    @Override
    public int hashCode() {
        return Objects.hash(endpoint); // ids may be either one: equal inputs share at least the endpoint
    }

    @Override
    public <T> T getAdapter(Class<T> adapter) {
        return null;
    }

    @Override
    public boolean exists() {
        return false; // not in the recently-used list: a session may be gone when the workbench comes back
    }

    @Override
    public ImageDescriptor getImageDescriptor() {
        return ImageDescriptor.getMissingImageDescriptor();
    }

    @Override
    public String getName() {
        return title.isEmpty() ? Messages.Session_untitled : title;
    }

    /** Chats reopen with the workbench: the next start attaches to the session again (or says it is gone). */
    @Override
    public IPersistableElement getPersistable() {
        return new IPersistableElement() {
            @Override
            public String getFactoryId() {
                return ChatEditorInputFactory.ID;
            }

            @Override
            public void saveState(IMemento memento) {
                ChatEditorInputFactory.save(ChatEditorInput.this, memento);
            }
        };
    }

    @Override
    public String getToolTipText() {
        return host.isEmpty() ? getName() : NLS.bind(Messages.Chat_tooltip, getName(), host);
    }
}
