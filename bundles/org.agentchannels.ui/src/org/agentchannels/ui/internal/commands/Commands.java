package org.agentchannels.ui.internal.commands;

import org.eclipse.jface.bindings.Binding;
import org.eclipse.ui.keys.IBindingService;

/** The ids of the commands and contexts declared in plugin.xml; the parts activate their handlers. */
public final class Commands {

    public static final String OPEN_SESSION = "org.agentchannels.ui.commands.openSession";
    public static final String NEW_SESSION = "org.agentchannels.ui.commands.newSession";
    public static final String REFRESH_SESSIONS = "org.agentchannels.ui.commands.refreshSessions";
    public static final String GROUP_BY_DEVICE = "org.agentchannels.ui.commands.groupByDevice";
    public static final String SEND_PROMPT = "org.agentchannels.ui.commands.sendPrompt";
    public static final String STOP_TURN = "org.agentchannels.ui.commands.stopTurn";
    public static final String PAIR_DEVICE = "org.agentchannels.ui.commands.pairDevice";

    /** Active while a session list (Live on other devices, Sessions) is the active part: F5 refreshes. */
    public static final String SESSION_LISTS_CONTEXT = "org.agentchannels.ui.contexts.sessionLists";
    /** Active while a chat is the active part: Ctrl+Enter sends, Esc stops the turn. */
    public static final String CHAT_CONTEXT = "org.agentchannels.ui.contexts.chat";

    private Commands() {
    }

    /**
     * The key sequence bound to a command in a context under the active scheme, formatted for this platform
     * ("Ctrl+Enter", or the user's own binding from the Keys preferences); empty when none is bound.
     */
    public static String keysFor(IBindingService bindings, String commandId, String contextId) {
        if (bindings == null || bindings.getActiveScheme() == null) {
            return "";
        }
        String scheme = bindings.getActiveScheme().getId();
        Binding found = null;
        for (Binding b : bindings.getBindings()) {
            if (b.getParameterizedCommand() != null && commandId.equals(b.getParameterizedCommand().getId())
                    && contextId.equals(b.getContextId()) && scheme.equals(b.getSchemeId())
                    && (found == null || b.getType() == Binding.USER)) {
                found = b;
            }
        }
        return found == null ? "" : found.getTriggerSequence().format();
    }
}
