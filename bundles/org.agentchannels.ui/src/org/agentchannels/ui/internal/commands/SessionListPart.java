package org.agentchannels.ui.internal.commands;

/**
 * A part that lists sessions (Live on other devices, Sessions): the Open Session, New Session and Refresh
 * Sessions commands act on the active one, so menus, toolbars and key bindings share one implementation.
 */
public interface SessionListPart {

    /** Whether a session is selected that can be opened in a chat. */
    boolean canOpenSelection();

    /** Opens the selected session in its chat. */
    void openSelection();

    /** Whether there is a gateway to start a session on: the selected device's, or this device's. */
    boolean canCreateSession();

    /** Starts a new session on that gateway and opens its chat. */
    void createSession();

    /** Asks the gateways again now instead of at the next poll. */
    void refreshSessions();
}
