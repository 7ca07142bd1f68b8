package io.hazwatch.drivers.opcua;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A loopback TCP forwarder that can cut every connection through it at once while it keeps listening,
 * as a flaky radio link or a restarted switch would: the server never notices, the client sees its
 * connection reset and reconnects through the same port. It can also stay down ({@link #unplug()}:
 * every connection cut and new ones closed at once, until {@link #plugIn()}), and hold back what the
 * server sends ({@link #stall()}, until {@link #resume()}), as a server too busy to answer would.
 */
final class TcpCutter implements AutoCloseable {

    private final ServerSocket listener;
    private final int upstreamPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile boolean unplugged;
    /** Open while the server's bytes flow; a stall replaces it with a closed one. */
    private volatile CountDownLatch flowing = new CountDownLatch(0);

    TcpCutter(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "tcp-cutter-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Resets every connection open now; new connections are forwarded as before. */
    void cutAll() {
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    /** Cuts every connection and closes new ones at once, until {@link #plugIn()}. */
    void unplug() {
        unplugged = true;
        cutAll();
    }

    void plugIn() {
        unplugged = false;
    }

    /** From now on, what the server sends is held back (what the client sends still arrives). */
    void stall() {
        if (flowing.getCount() == 0) {
            flowing = new CountDownLatch(1);
        }
    }

    /** Lets what was held back, and everything after it, through. */
    void resume() {
        flowing.countDown();
    }

    @Override
    public void close() {
        closed = true;
        resume();
        closeQuietly(listener);
        cutAll();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                if (unplugged) {
                    closeQuietly(client);
                    continue;
                }
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 5000);
                open.add(client);
                open.add(server);
                pump(client, server, false);
                pump(server, client, true);
            } catch (IOException e) {
                if (!closed) {
                    continue; // one failed connection; keep accepting
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromServer) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    if (fromServer) {
                        flowing.await();
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the cut, or the peer went away: both sides are closed below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-cutter-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // already closed; nothing else to release
        }
    }
}
