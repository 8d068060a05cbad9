package org.agentchannels.gateway.internal.rpc;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which Host and Origin headers a gateway accepts: the Hermes rule against DNS rebinding and cross-site pages.
 */
final class HostCheck {

    private final String bind;
    private final String advertisedHost;

    /**
     * @param advertisedHost the host of an explicit {@code --advertise} URL (clients dial that name, so their
     *        Host header carries it), or empty
     */
    HostCheck(String bind, String advertisedHost) {
        this.bind = bind;
        this.advertisedHost = advertisedHost == null ? "" : advertisedHost;
    }

    /**
     * The Hermes rule against DNS rebinding and cross-site pages: the Host header must name the bound address
     * (any host on a wildcard bind; any loopback name on a loopback bind; or the host of {@code --advertise},
     * for a gateway behind a proxy or a tunnel), and an http(s) Origin must name the
     * same host. Non-web origins (file://, app://, null) are not checked.
     */
    boolean allows(String hostHeader, String origin) {
        String hostName = hostOnly(hostHeader);
        if (hostName.isEmpty()) {
            return false;
        }
        boolean wildcard = bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]");
        if (!wildcard) {
            boolean advertisedName = !advertisedHost.isEmpty() && hostName.equalsIgnoreCase(advertisedHost);
            if (isLoopback(bind)) {
                if (!isLoopback(hostName) && !advertisedName) {
                    return false;
                }
            } else if (!hostName.equalsIgnoreCase(hostOnly(bind)) && !advertisedName) {
                return false;
            }
        }
        if (origin == null || origin.isBlank() || origin.equals("null")) {
            return true;
        }
        try {
            URI o = URI.create(origin.strip());
            String scheme = o.getScheme() == null ? "" : o.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return true;
            }
            String originHost = o.getHost() == null ? "" : hostOnly(o.getHost());
            return originHost.equalsIgnoreCase(hostName) || (isLoopback(originHost) && isLoopback(hostName));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String hostOnly(String hostAndPort) {
        if (hostAndPort == null) {
            return "";
        }
        String h = hostAndPort.strip();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 ? h.substring(1, end) : "";
        }
        int colon = h.indexOf(':');
        return colon >= 0 && h.indexOf(':', colon + 1) < 0 ? h.substring(0, colon) : h;
    }

    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name other than localhost is never resolved here
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

}
