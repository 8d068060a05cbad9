package org.agentchannels.ui.internal;

import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.SignIn;
import org.agentchannels.core.protocol.TranscriptRow;
import org.eclipse.osgi.util.NLS;

/** What a session's state and the gateway's notes say to a person, in this workbench's language. */
public final class SessionStatusText {

    private SessionStatusText() {
    }

    /**
     * @param signIn what the agent needs to be signed in (read when {@code activity} is needs sign-in)
     * @param host the gateway's device as the person knows it, when the sign-in names none
     */
    public static String of(SessionActivity activity, SignIn signIn, String host) {
        return switch (activity) {
            case WORKING -> Messages.Status_working;
            case NEEDS_INPUT -> Messages.Status_needsInput;
            case STARTING -> Messages.Status_starting;
            case NEEDS_SIGN_IN -> signIn(signIn, host);
            case IDLE -> Messages.Status_idle;
        };
    }

    /** "Needs sign-in on DEVICE: what to do", the agent's own advice or, when it gives none, ours. */
    public static String signIn(SignIn signIn, String host) {
        String device = signIn != null && !signIn.device().isEmpty() ? signIn.device() : host;
        String hint = signIn == null || signIn.hint().isEmpty() ? Messages.Status_signInGeneric : signIn.hint();
        return NLS.bind(Messages.Status_needsSignIn, device, hint);
    }

    /** A gateway's note: one this workbench knows in its own words, any other as the gateway wrote it. */
    public static String note(TranscriptRow row) {
        return GatewayEvent.SystemNote.AGENT_FORGOT.equals(row.status()) ? Messages.Chat_agentForgot : row.text();
    }
}
