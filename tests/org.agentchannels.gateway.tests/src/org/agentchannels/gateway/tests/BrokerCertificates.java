package org.agentchannels.gateway.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agentchannels.core.Fingerprints;

/** Certificates for a team's Mosquitto TLS listener, made here, and what a platform engineer reads off one. */
final class BrokerCertificates {

    private BrokerCertificates() {
    }

    /**
     * A self-signed certificate for the IP address {@code ip}, and its key, as PEM files.
     *
     * @return the certificate's fingerprint, as {@code --presence-broker-fingerprint} takes it
     */
    static String selfSigned(String ip, Path certificate, Path key) throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.KeyPair pair = generator.generateKeyPair();
        org.bouncycastle.asn1.x500.X500Name name = new org.bouncycastle.asn1.x500.X500Name("CN=" + ip);
        java.time.Instant now = java.time.Instant.now();
        org.bouncycastle.cert.X509v3CertificateBuilder builder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(
                name, java.math.BigInteger.valueOf(System.nanoTime()), java.util.Date.from(now.minus(Duration.ofDays(1))),
                java.util.Date.from(now.plus(Duration.ofDays(1))), name, pair.getPublic());
        builder.addExtension(org.bouncycastle.asn1.x509.Extension.subjectAlternativeName, false,
                new org.bouncycastle.asn1.x509.GeneralNames(new org.bouncycastle.asn1.x509.GeneralName(
                        org.bouncycastle.asn1.x509.GeneralName.iPAddress, ip)));
        java.security.cert.X509Certificate cert = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
                .getCertificate(builder.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                        .build(pair.getPrivate())));
        try (org.bouncycastle.openssl.jcajce.JcaPEMWriter pem = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(
                Files.newBufferedWriter(certificate))) {
            pem.writeObject(cert);
        }
        try (org.bouncycastle.openssl.jcajce.JcaPEMWriter pem = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(
                Files.newBufferedWriter(key))) {
            pem.writeObject(new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", pair.getPrivate().getEncoded()));
        }
        return Fingerprints.of(cert.getPublicKey().getEncoded());
    }

    /** Where OpenSSL's command line tool is, on Debian. */
    static final Path OPENSSL = Path.of("/usr/bin/openssl");

    /**
     * What docs/team-presence.md tells a platform engineer to run to read a broker's fingerprint off the broker
     * itself, for {@code HOST:PORT}: keep the two the same.
     */
    static final String OPENSSL_FINGERPRINT = "printf 'sha256:%s\\n' \"$(openssl s_client -connect HOST:PORT </dev/null 2>/dev/null"
            + " | openssl x509 -pubkey -noout | openssl pkey -pubin -outform DER | openssl dgst -sha256 -binary"
            + " | openssl base64 -A | tr '+/' '-_' | tr -d '=')\"";

    /** Runs {@link #OPENSSL_FINGERPRINT} against a broker on loopback, bounded in time. */
    static String fingerprintByOpenssl(int port) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of("/bin/sh", "-c", OPENSSL_FINGERPRINT.replace("HOST:PORT", "127.0.0.1:" + port)))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("openssl did not finish within 30 s");
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }
}
