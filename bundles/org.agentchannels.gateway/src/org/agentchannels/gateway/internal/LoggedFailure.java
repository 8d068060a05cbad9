package org.agentchannels.gateway.internal;

/**
 * An exception as the gateway's log may show it: its class and stack trace, and its causes', but no message. The
 * JDK's argument checks quote the argument they refused ({@code ProcessBuilder}'s environment quotes a prompt
 * with a NUL byte whole), and a prompt or a title must never reach a log.
 */
public final class LoggedFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;
    /** How many causes are kept: enough to see where a failure came from. */
    private static final int MAX_CAUSES = 8;

    private LoggedFailure(Throwable original, Throwable cause) {
        super(original.getClass().getName() + " (message withheld)", cause, false, true);
        setStackTrace(original.getStackTrace());
    }

    /** {@code e} and its causes without their messages, to hand to a logger instead of {@code e}. */
    public static LoggedFailure of(Throwable e) {
        return copy(e, 0);
    }

    private static LoggedFailure copy(Throwable e, int depth) {
        Throwable cause = e.getCause();
        return new LoggedFailure(e, cause != null && cause != e && depth < MAX_CAUSES ? copy(cause, depth + 1) : null);
    }

    @Override
    public String toString() {
        return getMessage(); // the original's class, not this one's
    }
}
