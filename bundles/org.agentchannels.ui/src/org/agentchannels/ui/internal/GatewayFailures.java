package org.agentchannels.ui.internal;

import org.agentchannels.connector.GatewayException;
import org.agentchannels.core.GatewayEndpoints;
import org.agentchannels.core.protocol.JsonRpcCodes;
import org.eclipse.osgi.util.NLS;

/** What a person reads when a gateway could not be used: our words for the failures the UI can explain. */
public final class GatewayFailures {

    private GatewayFailures() {
    }

    /**
     * @param failure anything a connector future failed with
     * @param endpoint the gateway it was about; empty for this device's own
     */
    public static String describe(Throwable failure, String endpoint) {
        GatewayException e = GatewayException.of(failure);
        return switch (e.kind()) {
            case NOT_PAIRED -> NLS.bind(Messages.Chat_notPaired, GatewayEndpoints.redact(endpoint));
            case BAD_ENDPOINT -> NLS.bind(Messages.Chat_badEndpoint, GatewayEndpoints.redact(endpoint));
            case UNAUTHORIZED -> refused(e.kind(), GatewayEndpoints.redact(endpoint));
            case FORBIDDEN -> refused(e.kind(), GatewayEndpoints.redact(endpoint));
            case CERTIFICATE_CHANGED -> NLS.bind(Messages.Chat_certificateChanged,
                    new Object[] {GatewayEndpoints.redact(endpoint), e.pinned(), e.shown()});
            case PAIRING_CODE_REFUSED -> pairingFailed(e, GatewayEndpoints.redact(endpoint));
            default -> e.getMessage();
        };
    }

    /**
     * Why redeeming a pairing code failed, and what to do: the code wrong or used, expired, or too many tries (wait);
     * a certificate that is not the line's (nothing was sent); the gateway unreachable, or refusing this device.
     *
     * @param failure what {@code PairingRedemption.redeem} failed with
     * @param where the gateway as the line names it ({@code host:port})
     */
    public static String pairingFailed(Throwable failure, String where) {
        GatewayException e = GatewayException.of(failure);
        return switch (e.kind()) {
            case PAIRING_CODE_REFUSED -> switch (e.code()) {
                case 410 -> NLS.bind(Messages.PairDialog_codeExpired, where);
                case 429 -> NLS.bind(Messages.PairDialog_tooManyTries, where);
                default -> NLS.bind(Messages.PairDialog_codeRefused, where);
            };
            case CERTIFICATE_CHANGED -> NLS.bind(Messages.PairDialog_certificateNotTheLines,
                    new Object[] {where, e.pinned(), e.shown()});
            case UNREACHABLE, TIMEOUT -> e.code() > 0 ? NLS.bind(Messages.PairDialog_failed, where, e.getMessage()) // it answered
                    : NLS.bind(Messages.PairDialog_unreachable, where);
            case FORBIDDEN -> NLS.bind(Messages.PairDialog_forbidden, where);
            default -> NLS.bind(Messages.PairDialog_failed, where, e.getMessage());
        };
    }

    /**
     * Why a gateway refused this device, in the words of the chat and the Paired Gateways page alike: the token
     * (or, from a Hermes gateway, the token or the origin: it refuses both with 403) and how to pair again; or
     * the origin alone.
     *
     * @param where the gateway as the person knows it (its device, or its redacted endpoint)
     */
    public static String refused(GatewayException.Kind kind, String where) {
        return kind == GatewayException.Kind.FORBIDDEN ? NLS.bind(Messages.Chat_originRefused, where)
                : NLS.bind(Messages.Chat_tokenRefused, where);
    }

    /** Whether {@code failure} says the session is not live there (any more): 4001 or 4007. */
    public static boolean isNoLongerLive(Throwable failure) {
        GatewayException e = GatewayException.of(failure);
        return e.kind() == GatewayException.Kind.RPC_ERROR && (e.code() == JsonRpcCodes.SESSION_NOT_FOUND
                || e.code() == JsonRpcCodes.STORED_SESSION_NOT_FOUND);
    }
}
