package org.agentchannels.ui.internal;

import org.eclipse.osgi.util.NLS;

/** The user-visible strings of the workbench UI; translations sit beside messages.properties. */
public final class Messages extends NLS {

    private static final String BUNDLE_NAME = "org.agentchannels.ui.internal.messages"; //$NON-NLS-1$

    public static String LiveView_emptyTitle;
    public static String LiveView_emptyBody;
    public static String LiveView_emptyHowTo;
    public static String LiveView_emptyPreferencesLink;
    public static String LiveView_filterHint;
    public static String LiveView_open;
    public static String LiveView_newSessionOn;
    public static String NewSessionDialog_title;
    public static String NewSessionDialog_message;
    public static String NewSessionDialog_agent;
    public static String NewSessionDialog_defaultAgent;
    public static String NewSessionDialog_directory;
    public static String NewSessionDialog_directoryHint;
    public static String NewSessionDialog_notAbsolute;
    public static String LiveView_sessionCount;
    public static String LiveView_unreachable;
    public static String Session_untitled;
    public static String Status_working;
    public static String Status_needsInput;
    public static String Status_starting;
    public static String Status_needsSignIn;
    public static String Status_needsSignInShort;
    public static String Status_signInGeneric;
    public static String Status_idle;
    public static String Age_justNow;
    public static String Age_minutes;
    public static String Age_hours;
    public static String Age_days;
    public static String Job_connecting;
    public static String Job_attaching;
    public static String Job_creatingSession;
    public static String Job_connectingTo;
    public static String Job_applyingPreferences;
    public static String Chat_tooltip;
    public static String Chat_you;
    public static String Chat_fromDevice;
    public static String Chat_assistant;
    public static String Chat_note;
    public static String Chat_agentForgot;
    public static String Chat_interrupted;
    public static String Chat_failed;
    public static String Chat_truncated;
    public static String Chat_reasoningHidden;
    public static String Chat_noConnector;
    public static String Chat_createFailed;
    public static String Chat_attaching;
    public static String Chat_attachFailed;
    public static String Chat_inputHint;
    public static String Chat_send;
    public static String Chat_sendTooltip;
    public static String Chat_stop;
    public static String Chat_stopTooltip;
    public static String Chat_notConnected;
    public static String Chat_sending;
    public static String Chat_queued;
    public static String Chat_notSent;
    public static String Chat_connectedTo;
    public static String Chat_connecting;
    public static String Chat_reconnecting;
    public static String Chat_connectionFailed;
    public static String Chat_thisDevice;
    public static String Chat_alsoHere;
    public static String Request_approval;
    public static String Request_clarify;
    public static String Request_sudo;
    public static String Request_secret;
    public static String Request_answer;
    public static String Request_once;
    public static String Request_session;
    public static String Request_always;
    public static String Request_deny;
    public static String Request_yes;
    public static String Request_no;
    public static String Preferences_description;
    public static String Preferences_deviceName;
    public static String Preferences_localGateway;
    public static String Preferences_presenceDirectory;
    public static String Preferences_notifications;
    public static String Pairing_description;
    public static String Pairing_add;
    public static String Pairing_remove;
    public static String Pairing_hint;
    public static String Pairing_addTitle;
    public static String Pairing_storeFailed;
    public static String Pairing_noStore;
    public static String Notification_title;
    public static String Notification_finished;
    public static String Notification_needsInput;
    public static String SessionsView_noGateway;
    public static String SessionsView_none;
    public static String SessionsView_unreachable;
    public static String SessionsView_details;
    public static String Chat_showEarlier;
    public static String Chat_copy;
    public static String Chat_showReasoning;
    public static String Preferences_startGateway;
    public static String Preferences_connectGateway;
    public static String Preferences_gatewayGroup;
    public static String Preferences_gatewayPort;
    public static String Preferences_badPort;
    public static String Preferences_gatewayBind;
    public static String Preferences_gatewayAdvertise;
    public static String Preferences_otherDevicesGroup;
    public static String Preferences_gatewayHome;
    public static String Gateway_notInstalled;
    public static String LiveView_notPaired;
    public static String LiveView_pair;
    public static String LiveView_conflicting;
    public static String LiveView_conflictGroup;
    public static String Job_checkingPairings;
    public static String Chat_notPaired;
    public static String Chat_badEndpoint;
    public static String PairDialog_message;
    public static String PairDialog_endpoint;
    public static String PairDialog_token;
    public static String PairDialog_withoutToken;
    public static String PairDialog_withoutTokenWarning;
    public static String PairDialog_badEndpoint;
    public static String PairDialog_noToken;
    public static String PairDialog_otherEndpoint;
    public static String Pairing_trustedWithoutToken;

    public static String Tool_pending;
    public static String Tool_inProgress;
    public static String Tool_completed;
    public static String Tool_failed;
    public static String Tool_morePlaces;
    public static String Tool_moreLines;
    public static String Tool_moreDiffLines;
    public static String Tool_noChange;
    public static String Tool_truncated;
    public static String Tool_compare;
    public static String Plan_title;
    public static String Plan_progress;
    public static String Plan_high;
    public static String Plan_medium;
    public static String Plan_low;
    public static String Compare_title;
    public static String Compare_before;
    public static String Compare_after;
    public static String Compare_failed;

    static {
        NLS.initializeMessages(BUNDLE_NAME, Messages.class);
    }

    private Messages() {
    }
}
