package org.agentchannels.ui.internal;

import org.eclipse.osgi.util.NLS;

/** "just now", "3 min ago", "2 h ago", "4 d ago": how long ago a gateway refreshed a session. */
public final class Ages {

    private Ages() {
    }

    public static String since(double epochSeconds, double nowEpochSeconds) {
        long s = Math.max(0, Math.round(nowEpochSeconds - epochSeconds));
        if (epochSeconds <= 0) {
            return "";
        }
        if (s < 45) {
            return Messages.Age_justNow;
        }
        if (s < 3600) {
            return NLS.bind(Messages.Age_minutes, Math.max(1, s / 60));
        }
        if (s < 86_400) {
            return NLS.bind(Messages.Age_hours, s / 3600);
        }
        return NLS.bind(Messages.Age_days, s / 86_400);
    }
}
