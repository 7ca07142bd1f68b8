package io.hazwatch.sims.internal;

import com.ghgande.j2mod.modbus.Modbus;
import com.ghgande.j2mod.modbus.ModbusIOException;
import com.ghgande.j2mod.modbus.io.ModbusTCPTransport;
import com.ghgande.j2mod.modbus.msg.ModbusRequest;
import com.ghgande.j2mod.modbus.msg.ModbusResponse;
import com.ghgande.j2mod.modbus.msg.ReadCoilsRequest;
import com.ghgande.j2mod.modbus.msg.ReadInputDiscretesRequest;
import com.ghgande.j2mod.modbus.msg.ReadInputRegistersRequest;
import com.ghgande.j2mod.modbus.msg.ReadMultipleRegistersRequest;
import com.ghgande.j2mod.modbus.net.AbstractModbusListener;
import com.ghgande.j2mod.modbus.procimg.ProcessImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A read-only Modbus TCP slave: j2mod's slave-side transport, request and response messages and
 * {@link ProcessImage} behind an accept loop of our own.
 *
 * <p>Why not {@code ModbusSlaveFactory}: in j2mod 3.2.1 it keeps slaves in a static map keyed by port,
 * turns port 0 into 502 (so no ephemeral ports), cannot report its bound port, and leaves open client
 * connections running after {@code close()}. A simulator must bind ephemeral loopback ports in tests
 * and must drop its clients when it stops, as a powered-off device does.
 *
 * <p>Threading: one accept thread and one thread per client connection; requests on a connection are
 * served in order. {@link #close()} closes the listening socket and every client connection.
 */
public final class ModbusTcpSlaveServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModbusTcpSlaveServer.class);

    /** Modbus Application Protocol v1.1b, 7: exception 0x0B, gateway target device failed to respond. */
    public static final int GATEWAY_TARGET_FAILED = 0x0B;
    /** Modbus Application Protocol v1.1b, 6.3 and 6.4: quantity of registers 1..125. */
    private static final int MAX_READ_REGISTERS = 125;
    /** Modbus Application Protocol v1.1b, 6.1 and 6.2: quantity of bits 1..2000. */
    private static final int MAX_READ_BITS = 2000;

    private final int unitId;
    private final ProcessImage image;
    private final ServerSocket serverSocket;
    private final Thread acceptThread;
    private final ExecutorService connectionThreads;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final ImageResolver resolver = new ImageResolver();
    private volatile long responseDelayMillis;
    private volatile boolean closed;

    /**
     * Binds and starts accepting.
     *
     * @param address where to listen; port 0 picks a free port, see {@link #port()}
     * @param name    used in thread names and logs
     * @throws IOException if the address cannot be bound
     */
    public ModbusTcpSlaveServer(InetSocketAddress address, int unitId, ProcessImage image, String name)
            throws IOException {
        this.unitId = unitId;
        this.image = Objects.requireNonNull(image, "image");
        ServerSocket socket = new ServerSocket();
        try {
            // a restarted simulator must get its port back while old connections sit in TIME_WAIT
            socket.setReuseAddress(true);
            socket.bind(address, 50);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        this.serverSocket = socket;
        AtomicInteger connectionNumber = new AtomicInteger();
        String prefix = name + ":" + socket.getLocalPort();
        this.connectionThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, prefix + "-conn-" + connectionNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.acceptThread = new Thread(this::acceptLoop, prefix + "-accept");
        this.acceptThread.setDaemon(true);
        this.acceptThread.start();
        LOG.info("{} listening on {}:{} (unit {})", name, socket.getInetAddress().getHostAddress(),
                socket.getLocalPort(), unitId);
    }

    /** The bound port. */
    public int port() {
        return serverSocket.getLocalPort();
    }

    /** Delays every response by {@code delay} (a slow device); {@link Duration#ZERO} for none. */
    public void setResponseDelay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay " + delay);
        }
        responseDelayMillis = delay.toMillis();
    }

    /** Closes every open client connection now (a device reboot or a cut link); keeps listening. */
    public void dropConnections() {
        for (Socket socket : connections) {
            closeQuietly(socket);
        }
    }

    /** Client connections open now. */
    public int connectionCount() {
        return connections.size();
    }

    /** Idempotent. Stops listening, closes every client connection and waits briefly for the threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(serverSocket);
        dropConnections();
        connectionThreads.shutdownNow();
        try {
            acceptThread.join(TimeUnit.SECONDS.toMillis(2));
            if (!connectionThreads.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.warn("connection threads of port {} still running after close", port());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("accept failed on port {}; simulator stops listening", port(), e);
                }
                return;
            }
            connections.add(socket);
            if (closed) {
                closeQuietly(socket);
                connections.remove(socket);
                return;
            }
            try {
                connectionThreads.execute(() -> serve(socket));
            } catch (RejectedExecutionException e) {
                // close() won the race; the client sees its connection closed
                closeQuietly(socket);
                connections.remove(socket);
                return;
            }
        }
    }

    private void serve(Socket socket) {
        LOG.debug("client {} connected", socket.getRemoteSocketAddress());
        try (socket) {
            socket.setTcpNoDelay(true);
            ModbusTCPTransport transport = new ModbusTCPTransport(socket);
            transport.setTimeout(0); // a client may stay idle between polls
            while (!closed && !socket.isClosed()) {
                ModbusRequest request = transport.readRequest(resolver);
                ModbusResponse response = respond(request);
                if (!delay()) {
                    return;
                }
                transport.writeResponse(response);
            }
        } catch (ModbusIOException e) {
            if (e.isEOF()) {
                LOG.debug("client {} closed the connection", socket.getRemoteSocketAddress());
            } else {
                LOG.debug("connection to {} ended: {}", socket.getRemoteSocketAddress(), e.getMessage());
            }
        } catch (IOException | RuntimeException e) {
            if (!closed && !socket.isClosed()) {
                LOG.warn("connection to {} failed", socket.getRemoteSocketAddress(), e);
            }
        } finally {
            connections.remove(socket);
        }
    }

    /** Answers one request; only reads are served (the simulator is read-only). */
    private ModbusResponse respond(ModbusRequest request) {
        if (request.getUnitID() != unitId) {
            return request.createExceptionResponse(GATEWAY_TARGET_FAILED);
        }
        int quantity;
        int limit;
        if (request instanceof ReadMultipleRegistersRequest r) {
            quantity = r.getWordCount();
            limit = MAX_READ_REGISTERS;
        } else if (request instanceof ReadInputRegistersRequest r) {
            quantity = r.getWordCount();
            limit = MAX_READ_REGISTERS;
        } else if (request instanceof ReadCoilsRequest r) {
            quantity = r.getBitCount();
            limit = MAX_READ_BITS;
        } else if (request instanceof ReadInputDiscretesRequest r) {
            quantity = r.getBitCount();
            limit = MAX_READ_BITS;
        } else {
            return request.createExceptionResponse(Modbus.ILLEGAL_FUNCTION_EXCEPTION);
        }
        if (quantity < 1 || quantity > limit) {
            return request.createExceptionResponse(Modbus.ILLEGAL_VALUE_EXCEPTION);
        }
        // out-of-range addresses: the process image throws, j2mod answers exception 2
        return request.createResponse(resolver);
    }

    /** Applies the configured response delay; false if interrupted (the server is closing). */
    private boolean delay() {
        long millis = responseDelayMillis;
        if (millis <= 0) {
            return true;
        }
        try {
            // the simulated device is busy; this is its processing time, not a test waiting
            TimeUnit.MILLISECONDS.sleep(millis);
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            LOG.debug("close failed", e);
        }
    }

    /**
     * j2mod's request messages find their process image through a listener; this one resolves the
     * simulator's unit id and nothing else. It does not listen itself: the accept loop above does.
     */
    private final class ImageResolver extends AbstractModbusListener {

        @Override
        public ProcessImage getProcessImage(int unit) {
            return unit == unitId ? image : null;
        }

        @Override
        public void run() {
            throw new UnsupportedOperationException("the accept loop lives in ModbusTcpSlaveServer");
        }

        @Override
        public void stop() {
            // nothing runs here; ModbusTcpSlaveServer.close() stops the accept loop
        }
    }
}
