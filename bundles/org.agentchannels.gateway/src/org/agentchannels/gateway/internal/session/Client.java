package org.agentchannels.gateway.internal.session;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One connected client as the session host sees it: where to send frames, and its device: the one its device token
 * was issued to ({@linkplain #isBound bound}: what it says of itself changes nothing), else the one it said it is
 * (from {@code viewer_device} or {@code sender_device}; empty until it says).
 */
public final class Client {

    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final Consumer<SharedText> sender;
    private volatile String device = "";
    private final boolean bound;

    /** A client that takes each frame's text. */
    public Client(Consumer<String> sender) {
        this(null, shared -> sender.accept(shared.text()), false);
    }

    private Client(String device, Consumer<SharedText> sender, boolean bound) {
        this.sender = sender;
        if (device != null) {
            this.device = device;
        }
        this.bound = bound;
    }

    /** A client that takes frames as shared, encoded once for every viewer ({@link SharedText}). */
    public static Client sharing(Consumer<SharedText> sender) {
        return new Client(null, sender, false);
    }

    /**
     * A client whose device is {@code device}, whatever it says (it connected with that device's token), taking
     * frames as shared.
     */
    public static Client sharing(String device, Consumer<SharedText> sender) {
        return new Client(device, sender, true);
    }

    /** Whether its device comes from its token rather than from what it says. */
    public boolean isBound() {
        return bound;
    }

    public long id() {
        return id;
    }

    /** Sends one text frame; never blocks (frames queue in the transport, in call order). */
    public void send(String text) {
        sender.accept(new SharedText(text));
    }

    /** Sends one frame that goes to other clients too; never blocks. */
    public void send(SharedText text) {
        sender.accept(text);
    }

    public String device() {
        return device;
    }

    /** Takes the device the client says it is; a {@linkplain #isBound bound} client keeps its own. */
    public void setDevice(String device) {
        if (!bound && device != null && !device.isEmpty()) {
            this.device = device;
        }
    }

    @Override
    public String toString() {
        return "Client#" + id + (device.isEmpty() ? "" : "(" + device + ")");
    }
}
