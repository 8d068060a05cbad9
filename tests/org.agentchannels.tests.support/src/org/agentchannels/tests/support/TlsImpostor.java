package org.agentchannels.tests.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.agentchannels.core.Fingerprints;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A server that terminates TLS on loopback with a self-signed certificate of its own (made by the JDK's
 * {@code keytool}) and notes every HTTP request it is sent, headers and all, answering 404: what answers at a
 * gateway's address when someone intercepts the connection. A client that pins the gateway's certificate must
 * send it nothing.
 */
public final class TlsImpostor implements AutoCloseable {

    private static final String PASSWORD = "impostor";

    private final List<String> received = new CopyOnWriteArrayList<>();
    private final Server server = new Server();
    private final ServerConnector connector;
    private final String fingerprint;

    /** @param dir where its key store is made */
    public static TlsImpostor start(Path dir) throws Exception {
        return new TlsImpostor(dir);
    }

    private TlsImpostor(Path dir) throws Exception {
        Path store = dir.resolve("impostor.p12");
        Files.deleteIfExists(store);
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "impostor", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=impostor",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD,
                "-keypass", PASSWORD).redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            keytool.destroyForcibly();
            throw new IOException("keytool failed: " + Files.readString(dir.resolve("keytool.log")));
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        fingerprint = Fingerprints.of(keys.getCertificate("impostor").getPublicKey().getEncoded());
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(keys);
        ssl.setKeyStorePassword(PASSWORD);
        ssl.setKeyManagerPassword(PASSWORD);
        HttpConfiguration http = new HttpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
        connector = new ServerConnector(server, ssl, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                List<String> headers = new ArrayList<>();
                request.getHeaders().forEach(f -> headers.add(f.getName() + ": " + f.getValue()));
                received.add(request.getHttpURI() + "\n" + String.join("\n", headers));
                response.setStatus(404);
                callback.succeeded();
                return true;
            }
        });
        server.start();
    }

    /** Where it listens, as a gateway's endpoint. */
    public String endpoint() {
        return "wss://127.0.0.1:" + connector.getLocalPort() + "/api/ws";
    }

    /** The fingerprint of its own certificate. */
    public String fingerprint() {
        return fingerprint;
    }

    /** Every request it was sent: its URI, then its headers, one a line. */
    public List<String> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
