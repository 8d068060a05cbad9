package org.agentchannels.connector;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.agentchannels.connector.internal.CodeRedeemer;
import org.agentchannels.core.DaemonThreads;
import org.agentchannels.core.Pairing;
import org.agentchannels.core.PairingInvitation;

/**
 * Redeems a pairing line ({@link PairingInvitation}) for a device token of this device's own: over TLS to the
 * gateway it names, trusting only the certificate whose fingerprint the line holds, so that the code reaches no
 * other server. The result is the {@link Pairing} to store (its token is the device token; the fingerprint is
 * pinned with it) and the names the gateway gave.
 */
public final class PairingRedemption {

    /** How long a redemption may take before it fails with {@link GatewayException.Kind#TIMEOUT}. */
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private PairingRedemption() {
    }

    /**
     * @param pairing what to store: the endpoint, the device token, the pinned fingerprint
     * @param deviceName the name the gateway registered this device under (it may have added a suffix to keep names
     *        apart), which it attributes this device's prompts to
     * @param gatewayDevice the name of the gateway's device
     */
    public record Redeemed(Pairing pairing, String deviceName, String gatewayDevice) {
        @Override
        public String toString() {
            return "Redeemed[" + pairing + ", " + deviceName + ", " + gatewayDevice + "]";
        }
    }

    /**
     * Redeems {@code invitation} as the device {@code deviceName}, on a thread of its own; the future fails with a
     * {@link GatewayException}: {@link GatewayException.Kind#PAIRING_CODE_REFUSED} (see its {@code code()}),
     * {@link GatewayException.Kind#CERTIFICATE_CHANGED} when the server shows another key than the line's (nothing
     * was sent to it then), {@link GatewayException.Kind#UNREACHABLE}, {@link GatewayException.Kind#TIMEOUT}.
     */
    public static CompletableFuture<Redeemed> redeem(PairingInvitation invitation, String deviceName) {
        var executor = Executors.newSingleThreadExecutor(DaemonThreads.named("agentchannels-pairing"));
        CompletableFuture<Redeemed> result = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                result.complete(CodeRedeemer.redeem(invitation, deviceName, TIMEOUT));
            } catch (GatewayException e) {
                result.completeExceptionally(e);
            } catch (RuntimeException e) {
                result.completeExceptionally(new GatewayException(GatewayException.Kind.UNREACHABLE,
                        "pairing with " + invitation.host() + ":" + invitation.port() + " failed: " + e.getClass().getSimpleName()));
            } finally {
                executor.shutdown();
            }
        });
        return result.orTimeout(TIMEOUT.toMillis() + 5000, TimeUnit.MILLISECONDS).exceptionallyCompose(t -> {
            GatewayException e = t instanceof java.util.concurrent.TimeoutException
                    ? new GatewayException(GatewayException.Kind.TIMEOUT, "the gateway at " + invitation.host() + ":"
                            + invitation.port() + " did not answer the pairing in time")
                    : GatewayException.of(t);
            return CompletableFuture.failedFuture(e);
        });
    }
}
