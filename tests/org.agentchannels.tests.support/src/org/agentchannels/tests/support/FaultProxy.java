package org.agentchannels.tests.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback between a client and a gateway that can fail on command: cut every connection
 * (as a dropped Wi-Fi would), refuse new ones for a while, stall traffic, or slow it to a trickle. Bytes pass
 * unchanged otherwise.
 */
public final class FaultProxy implements AutoCloseable {

    private final int targetPort;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean refusing;
    private volatile boolean stalled;
    private volatile int bytesPerSecond;
    private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean closed;

    public FaultProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public String endpoint() {
        return "ws://127.0.0.1:" + port() + "/api/ws";
    }

    /** Closes every open connection at once, both sides, without a WebSocket close. */
    public void cutAll() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // already gone
            }
        }
        sockets.clear();
    }

    /** While on, new connections are accepted and closed at once, as a gateway that is down. */
    public void refuse(boolean on) {
        refusing = on;
    }

    /** While on, no bytes move in either direction (they wait, nothing is lost). */
    public void stall(boolean on) {
        stalled = on;
    }

    /** How many connections were passed through so far (a client that redialled three times made four). */
    public int connectionsPassed() {
        return accepted.get();
    }

    /** How many of the connections passed through are open now. */
    public int connectionsOpen() {
        return (int) sockets.stream().filter(s -> !s.isClosed()).count() / 2;
    }

    /** While above 0, each direction carries at most this many bytes a second (a poor mobile link). */
    public void throttle(int bytesPerSecond) {
        this.bytesPerSecond = Math.max(0, bytesPerSecond);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                if (refusing) {
                    client.close();
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                accepted.incrementAndGet();
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    while (stalled && !from.isClosed()) {
                        Thread.sleep(5);
                    }
                    write(out, buffer, n);
                }
            } catch (IOException | InterruptedException e) {
                // cut, or the other side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException e) {
                    // nothing more to do
                }
            }
        }, "fault-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Writes at once, or in small pieces with pauses while throttled. */
    private void write(OutputStream out, byte[] buffer, int n) throws IOException, InterruptedException {
        int rate = bytesPerSecond;
        if (rate <= 0) {
            out.write(buffer, 0, n);
            out.flush();
            return;
        }
        int piece = Math.max(1, Math.min(n, rate / 20)); // about twenty pieces a second
        for (int off = 0; off < n; off += piece) {
            int len = Math.min(piece, n - off);
            out.write(buffer, off, len);
            out.flush();
            Thread.sleep(Math.max(1, len * 1000L / rate));
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        cutAll();
    }
}
