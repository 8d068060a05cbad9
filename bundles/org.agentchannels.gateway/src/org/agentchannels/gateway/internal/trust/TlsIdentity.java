package org.agentchannels.gateway.internal.trust;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.agentchannels.core.Fingerprints;
import org.agentchannels.core.OwnerOnlyFiles;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * The gateway's TLS identity: an EC P-256 key pair and a self-signed certificate for it, kept in one owner-only
 * PEM file of its home (the private key, PKCS#8, then the certificate), made on first start and kept across
 * restarts; {@link #rotate} replaces it with a new key. Clients do not trust it through a certificate authority:
 * they pin its {@linkplain #fingerprint() fingerprint} when they pair. The certificate is made and read by
 * BouncyCastle's PKIX classes; signing and the keys are the Java runtime's.
 */
public final class TlsIdentity {

    /** How long the certificate says it is valid; clients pin the key, so this is not what they check. */
    static final Duration VALIDITY = Duration.ofDays(3650);
    private static final String SIGNATURE = "SHA256withECDSA";
    /** The most a PEM file of one key and one certificate needs; a larger one is not ours. */
    private static final long MAX_FILE_BYTES = 64 * 1024;

    private final PrivateKey key;
    private final X509Certificate certificate;

    private TlsIdentity(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    /**
     * The identity kept in {@code file}, or a new one written there when there is none.
     *
     * @param name the certificate's common name (the device's name), for a person who looks at it
     * @throws IOException when the file is a link, readable by others, not ours, or cannot be written
     */
    public static TlsIdentity loadOrCreate(Path file, String name) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return load(file);
        }
        return rotate(file, name);
    }

    /** Makes a new key pair and certificate and writes them over {@code file} (whole, owner-only, no link followed). */
    public static TlsIdentity rotate(Path file, String name) throws IOException {
        TlsIdentity identity = generate(name);
        OwnerOnlyFiles.replace(file, identity.toPem());
        return identity;
    }

    /** @throws IOException when the file is a link, readable by others, or holds no key and certificate of one pair */
    public static TlsIdentity load(Path file) throws IOException {
        if (Files.isSymbolicLink(file) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + " is not a regular file (a link is not followed)");
        }
        OwnerOnlyFiles.requireOwnerOnly(file, "the gateway's TLS identity");
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IOException(file + " is too large to be the gateway's TLS identity");
        }
        PrivateKey key = null;
        X509Certificate certificate = null;
        try (PEMParser pem = new PEMParser(new StringReader(Files.readString(file, StandardCharsets.UTF_8)))) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof PrivateKeyInfo info && key == null) {
                    key = new JcaPEMKeyConverter().getPrivateKey(info);
                } else if (o instanceof X509CertificateHolder holder && certificate == null) {
                    certificate = new JcaX509CertificateConverter().getCertificate(holder);
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException(file + " holds no usable key and certificate: " + e.getClass().getSimpleName(), e);
        }
        if (key == null || certificate == null) {
            throw new IOException(file + " lacks its " + (key == null ? "private key" : "certificate"));
        }
        TlsIdentity identity = new TlsIdentity(key, certificate);
        identity.checkPair();
        return identity;
    }

    private static TlsIdentity generate(String name) throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=" + commonName(name) + ",O=Agent Channels gateway");
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(127, new SecureRandom()).add(BigInteger.ONE), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder(SIGNATURE).build(pair.getPrivate()));
            return new TlsIdentity(pair.getPrivate(), new JcaX509CertificateConverter().getCertificate(holder));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IOException("cannot make the gateway's TLS identity: " + e.getClass().getSimpleName(), e);
        }
    }

    /** A common name that is safe in an X.500 name: letters, digits, '.', '-' and '_' only. */
    static String commonName(String name) {
        String cleaned = name == null ? "" : name.replaceAll("[^A-Za-z0-9._-]", "-");
        cleaned = cleaned.length() > 60 ? cleaned.substring(0, 60) : cleaned;
        return cleaned.isEmpty() ? "agentchannels" : cleaned;
    }

    /** The certificate's key signs what the private key signs: the two belong together. */
    private void checkPair() throws IOException {
        try {
            java.security.Signature signer = java.security.Signature.getInstance(SIGNATURE);
            signer.initSign(key);
            byte[] probe = "agentchannels".getBytes(StandardCharsets.UTF_8);
            signer.update(probe);
            byte[] signature = signer.sign();
            java.security.Signature verifier = java.security.Signature.getInstance(SIGNATURE);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new IOException("the gateway's TLS key and certificate are not of one pair");
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("the gateway's TLS key cannot sign: " + e.getClass().getSimpleName(), e);
        }
    }

    private String toPem() throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            pem.writeObject(new PemObject("PRIVATE KEY", key.getEncoded())); // PKCS#8, whatever the key's algorithm
            pem.writeObject(certificate);
        }
        return text.toString();
    }

    /** {@code sha256:} and the base64url SHA-256 of the certificate's SubjectPublicKeyInfo; see {@link Fingerprints}. */
    public String fingerprint() {
        return Fingerprints.of(certificate.getPublicKey().getEncoded());
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * The key and certificate in a key store of memory only, for Jetty's {@code SslContextFactory.Server}.
     *
     * @param password what the key is protected with in that store (the caller's own, never written anywhere)
     */
    public KeyStore keyStore(char[] password) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("gateway", key, password, new Certificate[] {certificate});
            return store;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot hold the gateway's TLS key: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public String toString() {
        return "TlsIdentity[" + fingerprint() + "]"; // never the key
    }
}
