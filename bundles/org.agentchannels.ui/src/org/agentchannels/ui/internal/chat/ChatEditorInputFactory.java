package org.agentchannels.ui.internal.chat;

import org.eclipse.core.runtime.IAdaptable;
import org.eclipse.ui.IElementFactory;
import org.eclipse.ui.IMemento;

/**
 * Saves a chat's input with the workbench and makes it again on the next start. The stored session key is
 * what finds the session after a restart: the runtime id is only a hint, since the gateway may have been
 * restarted too.
 */
public final class ChatEditorInputFactory implements IElementFactory {

    public static final String ID = "org.agentchannels.ui.chatInputFactory";

    private static final String ENDPOINT = "endpoint";
    private static final String SESSION_ID = "sessionId";
    private static final String SESSION_KEY = "sessionKey";
    private static final String TITLE = "title";
    private static final String HOST = "host";

    static void save(ChatEditorInput input, IMemento memento) {
        memento.putString(ENDPOINT, input.endpoint());
        memento.putString(SESSION_ID, input.sessionId());
        memento.putString(SESSION_KEY, input.sessionKey());
        memento.putString(TITLE, input.title());
        memento.putString(HOST, input.host());
    }

    @Override
    public IAdaptable createElement(IMemento memento) {
        String id = memento.getString(SESSION_ID);
        String key = memento.getString(SESSION_KEY);
        if ((id == null || id.isEmpty()) && (key == null || key.isEmpty())) {
            return null; // nothing names a session: the workbench drops the editor
        }
        return new ChatEditorInput(memento.getString(ENDPOINT), id, key, memento.getString(TITLE), memento.getString(HOST));
    }
}
