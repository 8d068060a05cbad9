package org.agentchannels.connector.internal;

import java.net.InetAddress;

import org.agentchannels.core.DeviceNames;

/**
 * This device's name (the seed's identity rule): the {@code device_name} of the local gateway's first
 * {@code gateway.ready} (first wins; a remote ready frame never counts), else the configured name, else the host
 * name. Thread-safe.
 */
final class DeviceIdentity {

    private volatile String fromLocalGateway = "";
    private volatile String configured;
    private volatile String hostName;

    DeviceIdentity(String configured) {
        this.configured = DeviceNames.sanitize(configured);
    }

    /** @return whether the name this device goes by changed with it (the local gateway has not named it) */
    boolean configure(String name) {
        configured = DeviceNames.sanitize(name);
        return fromLocalGateway.isEmpty();
    }

    /** The local gateway named this device; only its first name counts. @return whether it was adopted */
    synchronized boolean namedByLocalGateway(String deviceName) {
        if (!fromLocalGateway.isEmpty() || deviceName.isEmpty()) {
            return false;
        }
        fromLocalGateway = deviceName;
        return true;
    }

    String name() {
        String name = fromLocalGateway;
        if (!name.isEmpty()) {
            return name;
        }
        if (!configured.isEmpty()) {
            return configured;
        }
        if (hostName == null) {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "";
            }
            hostName = DeviceNames.fromHostName(host);
        }
        return hostName;
    }
}
