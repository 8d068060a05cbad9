package org.agentchannels.core;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gateway endpoint URLs: checking what a user or a presence record gave, adding the pairing token
 * for Hermes gateways (which accept it only as {@code ?token=}) and hiding it again for anything
 * that is logged or shown.
 */
public final class GatewayEndpoints {

    /** The WebSocket path of every Hermes-compatible gateway. */
    public static final String WS_PATH = "/api/ws";

    private static final Pattern TOKEN_PARAM = Pattern.compile("([?&]token=)([^&#]*)");

    private GatewayEndpoints() {
    }

    /**
     * Pool keys of remote gateways are their URLs; local ones are profile names. A {@code ://} tells them
     * apart, as in the Hermes desktop, so the two namespaces cannot collide.
     */
    public static boolean isRemoteKey(String key) {
        return key != null && key.contains("://");
    }

    /**
     * Checks that {@code endpoint} is a WebSocket URL a client can dial: {@code ws://} or {@code wss://} with a
     * host that is not a link-local ({@code 169.254.0.0/16}, {@code fe80::/10}: cloud metadata services live
     * there) or unspecified ({@code 0.0.0.0}, {@code ::}) address. Only address literals are judged; no name is
     * ever resolved.
     *
     * @return the trimmed endpoint
     * @throws IllegalArgumentException with a message that names what is wrong (and never a token)
     */
    public static URI parse(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("the gateway endpoint is empty");
        }
        URI uri;
        try {
            uri = new URI(endpoint.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the gateway endpoint is not a URL: " + redact(endpoint.trim()), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("the gateway endpoint must start with ws:// or wss://: " + redact(uri.toString()));
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("the gateway endpoint has no host: " + redact(uri.toString()));
        }
        String refused = refusedAddress(uri.getHost());
        if (refused != null) {
            throw new IllegalArgumentException("the gateway endpoint is " + refused + ", which is never dialled: "
                    + redact(uri.toString()));
        }
        return uri;
    }

    /**
     * Whether {@link #parse} accepts {@code endpoint}: what a presence record must advertise to be offered. The plain
     * form every gateway advertises ({@link #plainHost}) is judged without {@link URI}, whose parse was a sixth of a
     * derivation of ten thousand records over a thousand gateways; anything else is parsed.
     */
    public static boolean isDialable(String endpoint) {
        if (endpoint == null || endpoint.length() > MAX_REMEMBERED_LENGTH || endpoint.indexOf('?') >= 0) {
            return judgeDialable(endpoint); // a query may hold a Hermes token: such a URL is never kept
        }
        int hash = endpoint.hashCode();
        int slot = (hash ^ hash >>> 16) & (DIALABLE_VERDICTS.length - 1);
        DialableVerdict known = DIALABLE_VERDICTS[slot];
        if (known != null && (known.endpoint == endpoint
                || known.endpoint.hashCode() == hash && known.endpoint.equals(endpoint))) {
            return known.dialable;
        }
        boolean dialable = judgeDialable(endpoint);
        DIALABLE_VERDICTS[slot] = new DialableVerdict(endpoint, dialable);
        return dialable;
    }

    /**
     * The last verdicts of {@link #isDialable}, direct-mapped by the endpoint's hash: deriving sessions judges each
     * gateway's endpoint at every derivation, and judging a thousand was a tenth of one. Sized so that few of a
     * thousand endpoints share a slot (at 2,048 slots four in ten displaced another and were judged every time).
     * Bounded in entries and, as only endpoints up to {@link #MAX_REMEMBERED_LENGTH} characters are kept, in memory.
     * Threads may race on a slot; an entry is immutable, so the loser only loses the memo.
     */
    private static final DialableVerdict[] DIALABLE_VERDICTS = new DialableVerdict[16_384];

    private static final int MAX_REMEMBERED_LENGTH = 128;

    private record DialableVerdict(String endpoint, boolean dialable) {
    }

    private static boolean judgeDialable(String endpoint) {
        if (endpoint != null) {
            String trimmed = endpoint.trim();
            String host = plainHost(trimmed);
            if (host != null) {
                return refusedAddress(host) == null;
            }
        }
        try {
            parse(endpoint);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The host of {@code endpoint} when it has the plain form {@code ws[s]://host[:port][/path]} whose {@link URI}
     * parse is sure to succeed with that host: a dotted decimal IPv4 address, or a name of letters, digits and inner
     * hyphens whose last label begins with a letter (what {@link URI} takes for a server name rather than a registry
     * authority); a port of 1 to 5 digits; a path of unreserved characters and slashes. Null for anything else, which
     * {@link URI} judges.
     */
    static String plainHost(String endpoint) {
        int start = endpoint.startsWith("ws://") ? 5 : endpoint.startsWith("wss://") ? 6 : -1;
        if (start < 0) {
            return null;
        }
        int n = endpoint.length();
        int end = start;
        while (end < n && endpoint.charAt(end) != ':' && endpoint.charAt(end) != '/') {
            end++;
        }
        String host = endpoint.substring(start, end);
        if (!isPlainIpv4(host) && !isPlainName(host)) {
            return null;
        }
        int i = end;
        if (i < n && endpoint.charAt(i) == ':') {
            int digits = 0;
            while (++i < n && endpoint.charAt(i) >= '0' && endpoint.charAt(i) <= '9') {
                digits++;
            }
            if (digits == 0 || digits > 5) {
                return null;
            }
        }
        if (i < n && endpoint.charAt(i) != '/') {
            return null;
        }
        for (; i < n; i++) {
            char c = endpoint.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/' || c == '.' || c == '-'
                    || c == '_' || c == '~')) {
                return null;
            }
        }
        return host;
    }

    private static boolean isPlainIpv4(String host) {
        int parts = 0;
        int digits = 0;
        int value = 0;
        for (int i = 0, n = host.length(); i <= n; i++) {
            char c = i < n ? host.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || value > 255) {
                    return false;
                }
                parts++;
                digits = 0;
                value = 0;
            } else if (c >= '0' && c <= '9' && digits < 3) {
                digits++;
                value = value * 10 + (c - '0');
            } else {
                return false;
            }
        }
        return parts == 4;
    }

    private static boolean isPlainName(String host) {
        int labelStart = 0;
        for (int i = 0, n = host.length(); i <= n; i++) {
            char c = i < n ? host.charAt(i) : '.';
            if (c == '.') {
                if (i == labelStart || host.charAt(i - 1) == '-') {
                    return false;
                }
                labelStart = i + 1;
            } else if (c == '-') {
                if (i == labelStart) {
                    return false;
                }
            } else if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) {
                return false;
            }
        }
        int lastLabel = host.lastIndexOf('.') + 1;
        char first = host.isEmpty() ? '0' : host.charAt(lastLabel);
        return first >= 'a' && first <= 'z' || first >= 'A' && first <= 'Z';
    }

    /**
     * What is wrong with {@code host} as a gateway's address, or {@code null} when nothing is. A URI's host is a
     * bracketed IPv6 literal, a dotted decimal IPv4 address or a name; names are left alone (never resolved).
     */
    private static String refusedAddress(String host) {
        InetAddress address = literal(host);
        if (address == null) {
            return null;
        }
        if (address.isAnyLocalAddress() || address instanceof Inet4Address && address.getAddress()[0] == 0) {
            return "an unspecified address (" + host + ")";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local address (" + host + ")";
        }
        return null;
    }

    private static InetAddress literal(String host) {
        try {
            if (host.startsWith("[")) {
                // a bracketed literal is parsed as IPv6 and never looked up; a zone (%eth0) says nothing of the address
                int zone = host.indexOf('%');
                return InetAddress.getByName(zone < 0 ? host : host.substring(0, zone) + "]");
            }
            String[] parts = host.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return null;
                }
                int value = Integer.parseInt(parts[i]);
                if (value > 255) {
                    return null;
                }
                bytes[i] = (byte) value;
            }
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException | NumberFormatException e) {
            return null;
        }
    }

    /**
     * The URL to dial: {@code endpoint} with {@code token=} appended (URL-encoded, {@code &} when the URL
     * already has a query), or unchanged when there is no token.
     */
    public static String withToken(String endpoint, String token) {
        if (token == null || token.isEmpty()) {
            return endpoint;
        }
        String base = endpoint;
        String fragment = "";
        int hash = endpoint.indexOf('#');
        if (hash >= 0) {
            base = endpoint.substring(0, hash);
            fragment = endpoint.substring(hash);
        }
        char separator = base.indexOf('?') >= 0 ? '&' : '?';
        return base + separator + "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + fragment;
    }

    /** {@code url} with the value of every {@code token} parameter replaced, fit for logs and error messages. */
    public static String redact(String url) {
        if (url == null) {
            return "";
        }
        Matcher m = TOKEN_PARAM.matcher(url);
        return m.find() ? m.replaceAll("$1***") : url;
    }
}
