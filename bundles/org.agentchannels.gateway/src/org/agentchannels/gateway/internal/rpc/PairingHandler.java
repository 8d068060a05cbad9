package org.agentchannels.gateway.internal.rpc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.agentchannels.core.PairingInvitation;
import org.agentchannels.core.protocol.Json;
import org.agentchannels.gateway.internal.RepeatedWarning;
import org.agentchannels.gateway.internal.trust.PairedDevices;
import org.agentchannels.gateway.internal.trust.PairingAttempts;
import org.agentchannels.gateway.internal.trust.PairingCodes;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * {@code POST /api/pair}: redeems a pairing code for a device token. The code comes in the JSON body (never in the
 * URL, which proxies and logs keep); a wrong, used or expired one counts towards {@link PairingAttempts}' lockout,
 * during which every code is refused without being looked at (so the right one stays unused). Every refusal is
 * logged with where it came from and why, never with the code; the answer is {@code no-store}.
 */
final class PairingHandler extends Handler.Abstract {

    private static final System.Logger LOG = System.getLogger(PairingHandler.class.getName());
    private static final int MAX_BODY_BYTES = 4096;

    private final PairingCodes codes;
    private final PairingAttempts attempts;
    private final PairedDevices devices;
    private final HostCheck hostCheck;
    private final String gatewayDevice;
    private final RepeatedWarning refused;

    PairingHandler(PairingCodes codes, PairingAttempts attempts, PairedDevices devices, HostCheck hostCheck,
            String gatewayDevice, Clock clock) {
        this.codes = codes;
        this.attempts = attempts;
        this.devices = devices;
        this.hostCheck = hostCheck;
        this.gatewayDevice = gatewayDevice;
        // wrong codes are logged one by one (the lockout bounds them); refusals anyone can repeat at will are counted
        this.refused = new RepeatedWarning(LOG, "refused a pairing request", clock, RepeatedWarning.INTERVAL);
    }

    /** Logs the count of refusals still pending (at a clean stop). */
    void flush() {
        refused.flush();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!PairingInvitation.REDEEM_PATH.equals(Request.getPathInContext(request))) {
            return false;
        }
        String from = "from " + Request.getRemoteAddr(request);
        if (!HttpMethod.POST.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            return answer(response, callback, 405, error("POST a pairing code here"));
        }
        if (!hostCheck.allows(request.getHeaders().get(HttpHeader.HOST), request.getHeaders().get(HttpHeader.ORIGIN))) {
            refused.occurred(from + ", with a Host or Origin that is not this gateway's");
            return answer(response, callback, 403, error("host or origin not allowed"));
        }
        Optional<Duration> locked = attempts.lockedFor();
        if (locked.isPresent()) {
            long seconds = Math.max(1, (locked.get().toMillis() + 999) / 1000);
            refused.occurred(from + ", while pairing is locked after too many wrong codes");
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(seconds));
            return answer(response, callback, 429, error("too many wrong pairing codes; this gateway takes none for "
                    + seconds + " s"));
        }
        long length = request.getLength();
        if (length > MAX_BODY_BYTES) {
            return answer(response, callback, 413, error("the request is too large"));
        }
        JsonObject body;
        try {
            body = JsonParser.parseString(readBounded(request)).getAsJsonObject();
        } catch (IOException | JsonParseException | IllegalStateException e) {
            return answer(response, callback, 400, error("expected {\"code\": ..., \"device_name\": ...}"));
        }
        PairingCodes.Outcome outcome = codes.redeem(Json.text(body, "code"));
        switch (outcome) {
            case UNKNOWN -> {
                attempts.wrong();
                LOG.log(System.Logger.Level.WARNING, "refused a pairing code " + from + ": wrong or used");
                return answer(response, callback, 401, error("the pairing code is wrong or was used already"));
            }
            case EXPIRED -> {
                attempts.wrong();
                LOG.log(System.Logger.Level.WARNING, "refused a pairing code " + from + ": expired");
                return answer(response, callback, 410, error("the pairing code expired (codes are valid for "
                        + PairingCodes.VALIDITY.toMinutes() + " minutes); run 'gateway pair' again"));
            }
            case ACCEPTED -> {
                PairedDevices.Paired paired = devices.pair(Json.text(body, "device_name"), Request.getRemoteAddr(request));
                LOG.log(System.Logger.Level.INFO, "paired the device '" + paired.device().name() + "' " + from);
                JsonObject ok = new JsonObject();
                ok.addProperty("device_token", paired.token());
                ok.addProperty("device", paired.device().name());
                ok.addProperty("gateway_device", gatewayDevice);
                return answer(response, callback, 200, ok);
            }
            default -> throw new IllegalStateException(outcome.toString());
        }
    }

    /** The body, refused past {@link #MAX_BODY_BYTES} however it is sent (a chunked body has no length). */
    private static String readBounded(Request request) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.InputStream in = Content.Source.asInputStream(request)) {
            byte[] buffer = new byte[1024];
            for (int n; (n = in.read(buffer)) > 0;) {
                bytes.write(buffer, 0, n);
                if (bytes.size() > MAX_BODY_BYTES) {
                    throw new IOException("too large");
                }
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static JsonObject error(String message) {
        JsonObject o = new JsonObject();
        o.addProperty("error", message);
        return o;
    }

    private static boolean answer(Response response, Callback callback, int status, JsonObject body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Content.Sink.write(response, true, body.toString(), callback);
        return true;
    }
}
