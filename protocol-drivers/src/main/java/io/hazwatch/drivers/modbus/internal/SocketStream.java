package io.hazwatch.drivers.modbus.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** A TCP connection to a serial device server (RTU frames over TCP). */
public final class SocketStream implements ByteStream {

    private static final Logger LOG = LoggerFactory.getLogger(SocketStream.class);

    private final String host;
    private final int port;
    private final int connectTimeoutMs;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public SocketStream(String host, int port, int connectTimeoutMs) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.connectTimeoutMs = connectTimeoutMs;
    }

    @Override
    public void open() throws IOException {
        if (isOpen()) {
            return;
        }
        close();
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), connectTimeoutMs);
            in = s.getInputStream();
            out = s.getOutputStream();
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
    }

    @Override
    public boolean isOpen() {
        return socket != null && !socket.isClosed();
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        requireOpen();
        out.write(bytes);
        out.flush();
    }

    @Override
    public int read(byte[] buffer, int offset, int length, long deadlineNanos) throws IOException {
        requireOpen();
        long left = deadlineNanos - System.nanoTime();
        int available = in.available();
        if (left <= 0 && available == 0) {
            return 0;
        }
        if (available == 0) {
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE,
                    TimeUnit.NANOSECONDS.toMillis(left + 999_999))));
        }
        try {
            int n = in.read(buffer, offset, available > 0 ? Math.min(available, length) : length);
            if (n < 0) {
                throw new IOException("connection to " + describe() + " closed by the device server");
            }
            return n;
        } catch (SocketTimeoutException e) {
            return 0;
        }
    }

    @Override
    public int discardInput() throws IOException {
        requireOpen();
        int dropped = 0;
        int available;
        while ((available = in.available()) > 0) {
            dropped += (int) in.skip(available);
        }
        return dropped;
    }

    @Override
    public void close() {
        Socket s = socket;
        socket = null;
        in = null;
        out = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.debug("closing the connection to {} failed", describe(), e);
            }
        }
    }

    @Override
    public String describe() {
        return host + ":" + port;
    }

    private void requireOpen() throws IOException {
        if (!isOpen()) {
            throw new IOException("connection to " + describe() + " is not open");
        }
    }
}
