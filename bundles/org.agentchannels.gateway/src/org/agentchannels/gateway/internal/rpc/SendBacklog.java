package org.agentchannels.gateway.internal.rpc;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How much one client has waiting to be sent: the bytes of the frames handed to Jetty whose write has not
 * completed yet. Jetty queues frames per connection without limit, so a client that stops reading would make the
 * gateway keep every frame of every turn for it; past {@link #limit()} the client is refused further frames (and
 * closed by its socket, once). One frame larger than the limit itself (a snapshot of a long transcript) is
 * taken when no other such frame waits, and not counted against the limit, so the frames after it still go out.
 */
final class SendBacklog {

    /** What {@link #admit} decided. */
    enum Admission {
        SEND,
        /** A frame larger than the limit, the one such frame waiting: sent, and written with {@code large}. */
        SEND_LARGE,
        /** Over the limit for the first time: the caller closes the client. */
        OVERFLOWED,
        /** Over the limit before: dropped, the client is being closed. */
        DROPPED
    }

    /** The default for one client: the gateway's largest frame twice over. */
    static final long DEFAULT_LIMIT = 16L * 1024 * 1024;

    private final long limit;
    private final AtomicLong unsent = new AtomicLong();
    private final AtomicLong large = new AtomicLong();
    private final AtomicBoolean overflowed = new AtomicBoolean();

    SendBacklog(long limit) {
        this.limit = limit;
    }

    long limit() {
        return limit;
    }

    /** Bytes handed to the transport and not yet written. */
    long unsent() {
        return unsent.get() + large.get();
    }

    /** Counts a frame of {@code bytes} in, unless the client is, or with it would be, over the limit. */
    Admission admit(long bytes) {
        if (overflowed.get()) {
            return Admission.DROPPED;
        }
        if (bytes > limit && large.compareAndSet(0, bytes)) {
            return Admission.SEND_LARGE;
        }
        long now = unsent.addAndGet(bytes);
        if (now > limit && now != bytes) {
            unsent.addAndGet(-bytes);
            return overflowed.compareAndSet(false, true) ? Admission.OVERFLOWED : Admission.DROPPED;
        }
        return Admission.SEND;
    }

    /** A frame's write completed (or failed): it no longer waits. */
    void written(long bytes, Admission admission) {
        (admission == Admission.SEND_LARGE ? large : unsent).addAndGet(-bytes);
    }
}
