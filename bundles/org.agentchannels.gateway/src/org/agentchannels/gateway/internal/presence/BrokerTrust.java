package org.agentchannels.gateway.internal.presence;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;

import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import org.agentchannels.core.Fingerprints;

/**
 * Whom the gateway believes to be the team's {@code mqtts://} broker: the authorities of
 * {@code --presence-broker-ca-file} (and the URL's host in the certificate), or the certificate's key pinned by
 * {@code --presence-broker-fingerprint} (the same {@link Fingerprints} clients pin a gateway by), or both, each then
 * required. A pin alone replaces the authorities and the name check, as a gateway's pin does for the clients: a
 * team's self-signed broker is trusted by its key. A certificate whose key is not the pinned one ends the handshake,
 * whatever authority signed it; there is no second try with less.
 */
final class BrokerTrust {

    private BrokerTrust() {
    }

    /** The broker showed a certificate whose key is not the pinned one. */
    static final class NotThePinnedKey extends CertificateException {
        private static final long serialVersionUID = 1L;

        NotThePinnedKey(String pinned, String shown) {
            super("the broker's certificate has the key " + shown + ", not " + pinned
                    + " pinned by --presence-broker-fingerprint");
        }
    }

    /**
     * Sockets for the broker's TLS, or {@code null} for the Java runtime's (neither a CA file nor a pin given).
     *
     * @throws IOException naming the CA file, when it holds no certificate or cannot be read
     */
    static SocketFactory socketFactory(Optional<Path> caFile, Optional<String> pin) throws IOException {
        if (caFile.isEmpty() && pin.isEmpty()) {
            return null;
        }
        X509ExtendedTrustManager authorities = caFile.isPresent() ? authorities(caFile.get()) : null;
        X509ExtendedTrustManager trust = pin.isPresent() ? new Pinned(pin.get(), authorities) : authorities;
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime offers no TLS", e);
        }
    }

    /** Whether the certificate must also name the URL's host: unless a pin alone is the broker's identity. */
    static boolean checksHostName(Optional<Path> caFile, Optional<String> pin) {
        return caFile.isPresent() || pin.isEmpty();
    }

    /**
     * The authorities of a PEM file alone (not the Java runtime's): a team's broker has a certificate of the team's
     * own authority, and nobody else's should pass for it.
     */
    private static X509ExtendedTrustManager authorities(Path caFile) throws IOException {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + n++, c);
            }
            if (n == 0) {
                throw new IOException(caFile + " holds no certificate");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            for (TrustManager m : factory.getTrustManagers()) {
                if (m instanceof X509ExtendedTrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("this Java runtime's " + factory.getAlgorithm() + " trusts no X.509 certificates");
        } catch (GeneralSecurityException e) {
            throw new IOException("--presence-broker-ca-file " + caFile + ": not PEM certificates (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The pin, checked first (its message names both keys), then the authorities when there are some. An
     * {@link X509ExtendedTrustManager}, so the Java runtime adds no host name check of its own: that is the
     * authorities' part (the JDK's manager does it with the socket's endpoint identification), not the pin's.
     */
    private static final class Pinned extends X509ExtendedTrustManager {

        private final String pin;
        /** {@code null}: the pin alone. */
        private final X509ExtendedTrustManager authorities;

        Pinned(String pin, X509ExtendedTrustManager authorities) {
            this.pin = pin;
            this.authorities = authorities;
        }

        private void checkPin(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the broker showed no certificate");
            }
            String shown = Fingerprints.of(chain[0].getPublicKey().getEncoded());
            if (!shown.equals(pin)) {
                throw new NotThePinnedKey(pin, shown);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            checkPin(chain);
            if (authorities != null) {
                authorities.checkServerTrusted(chain, authType, socket);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            checkPin(chain);
            if (authorities != null) {
                authorities.checkServerTrusted(chain, authType, engine);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            checkPin(chain);
            if (authorities != null) {
                authorities.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("the gateway trusts no MQTT clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("the gateway trusts no MQTT clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the gateway trusts no MQTT clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return authorities == null ? new X509Certificate[0] : authorities.getAcceptedIssuers();
        }
    }
}
