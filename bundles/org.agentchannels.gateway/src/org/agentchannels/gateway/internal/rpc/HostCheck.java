package org.agentchannels.gateway.internal.rpc;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Host and Origin headers a gateway accepts, against DNS rebinding and cross-site pages. Every
 * comparison is literal: a name is compared as text and an address literal by its value; nothing is ever
 * resolved (a rebinding attacker controls what a name resolves to).
 * <ul>
 * <li>Host must name this gateway: on a loopback bind a loopback name ({@code localhost}, {@code 127.x.x.x},
 * {@code ::1}); on another address that address; on a wildcard bind a loopback name or one of this machine's
 * own names and interface addresses; always also the host of {@code --advertise} (a gateway behind a proxy or
 * a tunnel).</li>
 * <li>Origin, which our clients never send, is refused unless it is an http(s) page on one of those same
 * hosts. Non-web origins ({@code null}, {@code file://}, browser extensions, {@code data:}) are refused: a
 * page or an extension can open a WebSocket anywhere, and a token it holds must not make it a client.</li>
 * </ul>
 */
public final class HostCheck {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+");

    private final Set<String> fixed;
    private final Supplier<Set<String>> machineNames;
    private volatile Set<String> allowed;

    /**
     * @param bind the address the gateway listens on, as configured
     * @param advertisedHost the host of an explicit {@code --advertise} URL, or empty
     * @param machineNames for a wildcard bind, this machine's own names and interface addresses (asked again when
     *        a Host header is not among them, as addresses come and go); not asked for any other bind
     */
    public HostCheck(String bind, boolean loopbackBind, String advertisedHost, Supplier<Set<String>> machineNames) {
        Set<String> hosts = new HashSet<>();
        if (advertisedHost != null && !advertisedHost.isBlank()) {
            hosts.add(canonical(advertisedHost));
        }
        boolean wildcard = isWildcard(bind);
        if (loopbackBind || wildcard) {
            hosts.add("localhost");
            hosts.add("127.0.0.1");
            hosts.add("::1");
        }
        if (!wildcard) {
            hosts.add(canonical(bind));
        }
        this.fixed = Set.copyOf(hosts);
        this.machineNames = wildcard ? machineNames : Set::of;
        this.allowed = fixed;
    }

    public static boolean isWildcard(String bind) {
        return bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]");
    }

    /** Whether a connection with these headers (either may be {@code null}) is let in. */
    public boolean allows(String hostHeader, String origin) {
        String host = canonical(hostOnly(hostHeader));
        if (host.isEmpty() || !isAllowed(host)) {
            return false;
        }
        if (origin == null) {
            return true; // our clients, and every non-browser client, send none
        }
        URI page;
        try {
            page = new URI(origin.strip());
        } catch (java.net.URISyntaxException e) {
            return false;
        }
        String scheme = page.getScheme() == null ? "" : page.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || page.getHost() == null) {
            return false;
        }
        String pageHost = canonical(page.getHost());
        return !pageHost.isEmpty() && isAllowed(pageHost);
    }

    private boolean isAllowed(String host) {
        if (allowed.contains(host) || isLoopbackLiteral(host) && fixed.contains("127.0.0.1")) {
            return true;
        }
        Set<String> names = machineNames.get();
        if (names.isEmpty()) {
            return false;
        }
        Set<String> refreshed = new HashSet<>(fixed);
        for (String name : names) {
            refreshed.add(canonical(name));
        }
        allowed = Set.copyOf(refreshed);
        return allowed.contains(host);
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

    /**
     * The form a host is compared in: lower case without brackets or a final dot; an address literal in its
     * canonical text (so {@code 0:0:0:0:0:0:0:1} is {@code ::1}). Parsed here, never resolved; a zone id or an
     * IPv4 part with a leading zero (octal to some parsers) leaves the text as a name, matching nothing.
     */
    static String canonical(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        Matcher v4 = IPV4.matcher(h);
        if (v4.matches()) {
            StringBuilder quad = new StringBuilder();
            for (int i = 1; i <= 4; i++) {
                String part = v4.group(i);
                if (part.length() > 1 && part.startsWith("0") || Integer.parseInt(part) > 255) {
                    return h;
                }
                quad.append(i > 1 ? "." : "").append(Integer.parseInt(part));
            }
            return quad.toString();
        }
        if (h.indexOf(':') >= 0 && IPV6.matcher(h).matches()) {
            try {
                // in brackets the JDK parses an IPv6 literal or fails: it never looks the text up
                InetAddress address = InetAddress.getByName("[" + h + "]");
                return address instanceof Inet6Address ? compressed(address.getHostAddress()) : address.getHostAddress();
            } catch (UnknownHostException e) {
                return h;
            }
        }
        return h;
    }

    private static boolean isLoopbackLiteral(String canonicalHost) {
        return canonicalHost.startsWith("127.") && IPV4.matcher(canonicalHost).matches() || canonicalHost.equals("::1");
    }

    /** {@code 0:0:0:0:0:0:0:1} as {@code ::1}: the longest run of zero groups collapsed, as RFC 5952 writes it. */
    private static String compressed(String full) {
        String[] groups = full.split(":", -1);
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; i++) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }
}
