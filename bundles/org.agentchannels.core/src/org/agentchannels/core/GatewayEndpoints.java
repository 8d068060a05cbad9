package org.agentchannels.core;

import java.net.URI;
import java.net.URISyntaxException;
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
     * Checks that {@code endpoint} is a WebSocket URL a client can dial.
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
        return uri;
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
