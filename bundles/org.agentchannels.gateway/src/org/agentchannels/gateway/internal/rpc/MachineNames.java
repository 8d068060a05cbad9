package org.agentchannels.gateway.internal.rpc;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The names a device on the LAN may use for this machine: its host name (whole, its first label, and that
 * label under {@code .local} as mDNS announces it) and the addresses of its network interfaces. Read from the
 * system, never from DNS: what another machine's resolver says is not what this machine is called.
 */
public final class MachineNames {

    private MachineNames() {
    }

    /** @param hostName this machine's host name as the system gives it, or empty */
    public static Set<String> of(String hostName) {
        Set<String> names = new HashSet<>();
        String name = hostName == null ? "" : hostName.strip().toLowerCase(Locale.ROOT);
        if (!name.isEmpty()) {
            names.add(name);
            String label = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
            if (!label.isEmpty()) {
                names.add(label);
                names.add(label + ".local");
            }
        }
        try {
            for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
                for (InetAddress address : nic.inetAddresses().toList()) {
                    String text = address.getHostAddress();
                    int zone = text.indexOf('%');
                    names.add(zone >= 0 ? text.substring(0, zone) : text);
                }
            }
        } catch (SocketException | RuntimeException e) {
            // no interface list: the names above, loopback and --advertise still work
        }
        return names;
    }
}
