package org.agentchannels.connector.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.agentchannels.connector.GatewayException;
import org.agentchannels.connector.PairingRedemption;
import org.agentchannels.core.DeviceNames;
import org.agentchannels.core.Pairing;
import org.agentchannels.core.PairingInvitation;
import org.agentchannels.core.protocol.Json;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * One redemption of a pairing code: {@code POST /api/pair} with the code and this device's name in the body (never
 * in the URL, which servers log), over TLS that trusts exactly the line's fingerprint. An answer is read up to
 * 16 KiB.
 */
public final class CodeRedeemer {

    private static final int MAX_ANSWER_BYTES = 16 * 1024;

    private CodeRedeemer() {
    }

    public static PairingRedemption.Redeemed redeem(PairingInvitation invitation, String deviceName, Duration timeout)
            throws GatewayException {
        String where = invitation.host() + ":" + invitation.port();
        HttpClient http = new HttpClient();
        http.setSslContextFactory(PinnedCertificates.clientFactory((host, port) -> List.of(invitation.fingerprint())));
        http.setFollowRedirects(false);
        http.setConnectTimeout(timeout.toMillis());
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("the HTTP client did not start", e);
        }
        // the answer's status is the whole story: a 401 here is no HTTP authentication challenge to take up (the
        // handlers are added by start())
        http.getProtocolHandlers().clear();
        try {
            JsonObject body = new JsonObject();
            body.addProperty("code", invitation.code());
            body.addProperty("device_name", DeviceNames.sanitize(deviceName));
            Request request = http.newRequest(invitation.redemptionUri()).method(HttpMethod.POST)
                    .headers(h -> h.put(HttpHeader.ACCEPT, "application/json"))
                    .body(new StringRequestContent("application/json", body.toString(), StandardCharsets.UTF_8))
                    .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
            ContentResponse response;
            try {
                response = new CompletableResponseListener(request, MAX_ANSWER_BYTES).send().get();
            } catch (ExecutionException e) {
                throw failure(e.getCause(), invitation, where);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GatewayException(GatewayException.Kind.CLOSED, "pairing with " + where + " was cancelled");
            }
            return answer(response, invitation, where);
        } finally {
            try {
                http.stop();
            } catch (Exception e) {
                // nothing left to say to it
            }
        }
    }

    private static GatewayException failure(Throwable error, PairingInvitation invitation, String where) {
        for (Throwable c = error; c != null; c = c.getCause()) {
            if (c instanceof PinnedCertificates.Changed changed) {
                return new GatewayException("the gateway at " + where + " shows the certificate " + changed.shown()
                        + ", not the " + changed.pinned() + " the pairing line names. Someone may be intercepting the"
                        + " connection, or the line is not that gateway's. Nothing was sent to it: the pairing code is"
                        + " still unused. Check the line on the gateway's device ('./agentchannels gateway status' shows"
                        + " its fingerprint)", changed.pinned(), changed.shown());
            }
            if (c instanceof TimeoutException) {
                return new GatewayException(GatewayException.Kind.TIMEOUT, "the gateway at " + where
                        + " did not answer the pairing in time");
            }
        }
        return ConnectionFailures.dial(error, where, false);
    }

    private static PairingRedemption.Redeemed answer(ContentResponse response, PairingInvitation invitation, String where)
            throws GatewayException {
        int status = response.getStatus();
        JsonObject answer;
        try {
            answer = JsonParser.parseString(response.getContentAsString()).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            answer = new JsonObject();
        }
        if (status == 200) {
            String token = Json.text(answer, "device_token");
            if (token.length() < 16 || token.chars().anyMatch(Character::isWhitespace)) {
                throw new GatewayException(GatewayException.Kind.UNREACHABLE, "the gateway at " + where
                        + " answered the pairing without a usable device token");
            }
            return new PairingRedemption.Redeemed(new Pairing(invitation.endpoint(), token, false, invitation.fingerprint()),
                    DeviceNames.sanitize(Json.text(answer, "device")), DeviceNames.sanitize(Json.text(answer, "gateway_device")));
        }
        String said = Json.text(answer, "error");
        String reason = said.isEmpty() ? "HTTP " + status : org.agentchannels.core.DisplayText.oneLine(said, 200);
        throw switch (status) {
            case 401, 410, 429 -> new GatewayException(GatewayException.Kind.PAIRING_CODE_REFUSED, status,
                    "the gateway at " + where + " did not take the pairing code: " + reason);
            case 403 -> new GatewayException(GatewayException.Kind.FORBIDDEN, status, "the gateway at " + where
                    + " refused this client (host or origin not allowed)");
            default -> new GatewayException(GatewayException.Kind.UNREACHABLE, status, "no gateway that pairs"
                    + " devices at " + where + " (" + reason + ")");
        };
    }
}
