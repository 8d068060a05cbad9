package org.agentchannels.connector.internal;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.BiFunction;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

import org.agentchannels.core.Fingerprints;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Trust in a {@code wss://} gateway by its pinned fingerprint only: the TLS handshake goes on only when the
 * certificate the server shows has the public key this device pinned when it paired that gateway (SHA-256 of its
 * SubjectPublicKeyInfo, {@link Fingerprints}). Self-signed is fine, and no name in it is checked: the pin replaces
 * both the certificate authorities and hostname verification. A server with another key, or a gateway this device
 * pinned nothing for, fails the handshake, before the upgrade request (and its {@code Authorization} header) is
 * ever written.
 */
final class PinnedCertificates extends X509ExtendedTrustManager {

    /** The server showed a certificate whose key is not the pinned one. */
    static final class Changed extends CertificateException {
        private static final long serialVersionUID = 1L;
        private final String pinned;
        private final String shown;

        Changed(String pinned, String shown) {
            super("the gateway's certificate changed from " + pinned + " to " + shown);
            this.pinned = pinned;
            this.shown = shown;
        }

        String pinned() {
            return pinned;
        }

        String shown() {
            return shown;
        }
    }

    /** Nothing is pinned for the server dialled: this device has not paired it over TLS. */
    static final class NotPinned extends CertificateException {
        private static final long serialVersionUID = 1L;

        NotPinned() {
            super("no certificate fingerprint is pinned for this gateway");
        }
    }

    private final BiFunction<String, Integer, List<String>> pins;

    /** @param pins the fingerprints pinned for the gateways dialled at a host and port (empty: none) */
    PinnedCertificates(BiFunction<String, Integer, List<String>> pins) {
        this.pins = pins;
    }

    /** Jetty's client TLS, trusting by {@code pins} alone. */
    static SslContextFactory.Client clientFactory(BiFunction<String, Integer, List<String>> pins) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new PinnedCertificates(pins)}, null);
            SslContextFactory.Client factory = new SslContextFactory.Client();
            factory.setSslContext(context);
            // the pin is the identity: an X509ExtendedTrustManager does endpoint identification itself (the JDK
            // wraps only plain X509TrustManagers with its host name check), and this one checks the pin instead;
            // naming the algorithm keeps Jetty from warning, at every start, that none was configured
            factory.setEndpointIdentificationAlgorithm("HTTPS");
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime offers no TLS", e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, engine == null ? null : engine.getPeerHost(), engine == null ? -1 : engine.getPeerPort());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, socket == null || socket.getInetAddress() == null ? null : socket.getInetAddress().getHostAddress(),
                socket == null ? -1 : socket.getPort());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, null, -1);
    }

    private void check(X509Certificate[] chain, String host, int port) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server showed no certificate");
        }
        List<String> pinned = host == null ? List.of() : pins.apply(host, port);
        if (pinned.isEmpty()) {
            throw new NotPinned();
        }
        String shown = Fingerprints.of(chain[0].getPublicKey().getEncoded());
        if (!pinned.contains(shown)) {
            throw new Changed(pinned.get(0), shown);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("a client trusts no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("a client trusts no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a client trusts no clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
