package org.agentchannels.gateway.internal.session;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One connected client as the session host sees it: where to send frames, and the device it said it is
 * (from {@code viewer_device} or {@code sender_device}; empty until it says).
 */
public final class Client {

    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final Consumer<String> sender;
    private volatile String device = "";

    public Client(Consumer<String> sender) {
        this.sender = sender;
    }

    public long id() {
        return id;
    }

    /** Sends one text frame; never blocks (frames queue in the transport, in call order). */
    public void send(String text) {
        sender.accept(text);
    }

    public String device() {
        return device;
    }

    public void setDevice(String device) {
        if (device != null && !device.isEmpty()) {
            this.device = device;
        }
    }

    @Override
    public String toString() {
        return "Client#" + id + (device.isEmpty() ? "" : "(" + device + ")");
    }
}
