package io.hazwatch.sims.internal;

import com.ghgande.j2mod.modbus.ModbusIOException;
import com.ghgande.j2mod.modbus.io.ModbusRTUTCPTransport;
import com.ghgande.j2mod.modbus.io.ModbusTCPTransport;
import com.ghgande.j2mod.modbus.msg.ModbusRequest;
import com.ghgande.j2mod.modbus.msg.ModbusResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Modbus TCP slave: j2mod's slave-side transport, request and response messages and process image
 * behind an accept loop of our own; what it answers is {@link SlaveBehaviour}'s business. With
 * {@code rtuOverTcp} it speaks RTU frames (address, PDU, CRC) instead of MBAP headers on the socket,
 * as a serial device server in transparent mode does (j2mod's {@link ModbusRTUTCPTransport}).
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

    private final SlaveBehaviour behaviour;
    private final boolean rtuOverTcp;
    private final ServerSocket serverSocket;
    private final Thread acceptThread;
    private final ExecutorService connectionThreads;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Binds and starts accepting.
     *
     * @param address    where to listen; port 0 picks a free port, see {@link #port()}
     * @param rtuOverTcp RTU frames on the socket instead of MBAP
     * @param name       used in thread names and logs
     * @throws IOException if the address cannot be bound
     */
    public ModbusTcpSlaveServer(InetSocketAddress address, SlaveBehaviour behaviour, boolean rtuOverTcp, String name)
            throws IOException {
        this.behaviour = Objects.requireNonNull(behaviour, "behaviour");
        this.rtuOverTcp = rtuOverTcp;
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
        LOG.info("{} listening on {}:{} ({}, {})", name, socket.getInetAddress().getHostAddress(),
                socket.getLocalPort(), rtuOverTcp ? "RTU over TCP" : "Modbus TCP", behaviour);
    }

    /** The bound port. */
    public int port() {
        return serverSocket.getLocalPort();
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
            ModbusTCPTransport transport = rtuOverTcp ? new ModbusRTUTCPTransport(socket) : new ModbusTCPTransport(socket);
            transport.setTimeout(0); // a client may stay idle between polls
            while (!closed && !socket.isClosed()) {
                ModbusRequest request = transport.readRequest(behaviour.resolver());
                ModbusResponse response = behaviour.serves(request.getUnitID()) ? behaviour.respond(request)
                        : request.createExceptionResponse(GATEWAY_TARGET_FAILED);
                if (!behaviour.pause() || closed) {
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

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            LOG.debug("close failed", e);
        }
    }
}
