package io.hazwatch.dist.baseline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy in front of one hop, on loopback, counting the bytes each way (upstream: child to parent,
 * the direction readings travel; downstream: acknowledgements and the like). It can hold the upstream
 * direction (stop reading from the child, so the child's data backs up in the child, as behind a link
 * that has stalled), drop every connection (a network cut: bytes it holds are discarded), and change
 * its target (a parent restarted on another port).
 */
final class CountingProxy implements AutoCloseable {
    private final String name;
    private final ServerSocket server;
    private final AtomicLong up = new AtomicLong();
    private final AtomicLong down = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final List<Socket> open = new ArrayList<>();
    private final Object gate = new Object();
    private volatile int targetPort;
    private volatile boolean held;
    private volatile boolean closed;

    CountingProxy(String name, int targetPort) throws IOException {
        this.name = name;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "proxy-" + name);
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    void target(int port) {
        this.targetPort = port;
    }

    long upBytes() {
        return up.get();
    }

    long downBytes() {
        return down.get();
    }

    long connections() {
        return connections.get();
    }

    void resetCounters() {
        up.set(0);
        down.set(0);
    }

    /** Holds (true) or releases (false) the upstream direction of every connection, present and future. */
    void hold(boolean h) {
        synchronized (gate) {
            held = h;
            gate.notifyAll();
        }
    }

    /** Closes every connection now; data read and not yet written is discarded. */
    void dropConnections() {
        synchronized (open) {
            for (Socket s : open) {
                closeQuietly(s);
            }
            open.clear();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket child;
            try {
                child = server.accept();
            } catch (IOException e) {
                return;
            }
            Socket parent = new Socket();
            try {
                child.setTcpNoDelay(true);
                parent.setTcpNoDelay(true);
                parent.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 1000);
            } catch (IOException e) {
                closeQuietly(child); // the parent is down: the child sees its connection closed
                closeQuietly(parent);
                continue;
            }
            connections.incrementAndGet();
            synchronized (open) {
                open.add(child);
                open.add(parent);
            }
            pump(child, parent, up, true);
            pump(parent, child, down, false);
        }
    }

    private void pump(Socket from, Socket to, AtomicLong counter, boolean upstream) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                while (true) {
                    if (upstream) {
                        awaitReleased(from); // leave the child's bytes in its socket: it feels the stall
                    }
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    if (upstream) {
                        awaitReleased(from); // held while reading: keep what was read, forward it on release
                    }
                    out.write(buf, 0, n);
                    counter.addAndGet(n);
                }
            } catch (IOException | InterruptedException e) {
                // connection closed or dropped
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                synchronized (open) {
                    open.remove(from);
                    open.remove(to);
                }
            }
        }, "proxy-" + name + (upstream ? "-up" : "-down"));
        t.setDaemon(true);
        t.start();
    }

    private void awaitReleased(Socket from) throws InterruptedException, IOException {
        synchronized (gate) {
            while (held) {
                if (from.isClosed()) {
                    throw new IOException("dropped while held");
                }
                gate.wait(100);
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        dropConnections();
    }
}
