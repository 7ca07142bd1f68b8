package io.hazwatch.sims.link;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** The upstream end for the tests: a blocking loopback server with one platform thread per connection. */
final class LoopbackServer implements AutoCloseable {

    interface Handler {
        void handle(Socket socket) throws IOException;
    }

    private final ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    private LoopbackServer(Handler handler) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> acceptLoop(handler), "test-upstream-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static LoopbackServer start(Handler handler) throws IOException {
        return new LoopbackServer(handler);
    }

    /** Echoes every byte back, then shuts down its output at EOF. */
    static LoopbackServer echo() throws IOException {
        return start(socket -> {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            in.transferTo(out);
            socket.shutdownOutput();
        });
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void acceptLoop(Handler handler) {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return; // closed by the test
            }
            accepted.add(socket);
            Thread worker = new Thread(() -> {
                try {
                    handler.handle(socket);
                } catch (IOException e) {
                    // a reset connection is a legitimate outcome in several tests; the test asserts on it
                }
            }, "test-upstream-conn");
            worker.setDaemon(true);
            worker.start();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : accepted) {
            s.close();
        }
    }

    /** Reads a stream to EOF, counting and hashing, and noting when the first and the last bytes came. */
    static final class Sink {
        private final MessageDigest digest = sha256();
        private final AtomicLong received = new AtomicLong();
        private final CompletableFuture<String> done = new CompletableFuture<>();
        private volatile long firstReadAt;
        private volatile long firstReadBytes;
        private volatile long lastReadAt;

        void drain(InputStream in) throws IOException {
            byte[] buf = new byte[256 * 1024];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    long now = System.nanoTime();
                    if (received.get() == 0 && n > 0) {
                        firstReadAt = now;
                        firstReadBytes = n;
                    }
                    lastReadAt = now;
                    digest.update(buf, 0, n);
                    received.addAndGet(n);
                }
                done.complete(HexFormat.of().formatHex(digest.digest()));
            } catch (IOException e) {
                done.completeExceptionally(e);
                throw e;
            }
        }

        long received() {
            return received.get();
        }

        /** Completes with the SHA-256 of everything read when the stream ends. */
        CompletableFuture<String> done() {
            return done;
        }

        long firstReadAt() {
            return firstReadAt;
        }

        long firstReadBytes() {
            return firstReadBytes;
        }

        long lastReadAt() {
            return lastReadAt;
        }
    }

    static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(sha256().digest(data));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException("no SHA-256", e));
        }
    }
}
