package io.hazwatch.drivers.modbus.internal;

import io.hazwatch.drivers.modbus.ModbusEndpoint;
import io.hazwatch.drivers.modbus.ModbusSerialMode;
import io.hazwatch.drivers.modbus.SerialSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One serial line (a port, or the TCP connection to a serial device server) shared by every device
 * on it: one stream, one framing, one lane, so one transaction at a time (Modbus over Serial Line
 * v1.02, 2.1: a single master, one outstanding request).
 *
 * <p>Timing (2.5.1.1): before every request the line must have been silent for 3.5 character times
 * (1.75 ms above 19200 baud), counted from the last byte of the previous frame in either direction;
 * the answer timeout starts once the request has left the wire. On RTU over TCP there is no wire timing
 * to keep: the device server does it.
 *
 * <p>Threading: {@link #transact} runs on the lane only; opening, closing and the state it reads are
 * confined to the lane too. Users come and go through {@link SerialBusRegistry}.
 */
public final class SerialBus {

    private static final Logger LOG = LoggerFactory.getLogger(SerialBus.class);

    private final String key;
    private final ModbusEndpoint endpoint;
    private final ByteStream stream;
    private final Framing framing;
    private final SerialSettings settings;
    private final long interFrameNanos;
    private final ExecutorService executor;
    private final IoLane lane;
    private volatile Thread thread;
    private long lastActivityNanos;
    private long staleBytes;

    SerialBus(String key, ModbusEndpoint endpoint, ByteStream stream) {
        this.key = Objects.requireNonNull(key, "key");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.stream = Objects.requireNonNull(stream, "stream");
        if (endpoint instanceof ModbusEndpoint.Serial serial) {
            this.settings = serial.settings();
            this.interFrameNanos = serial.mode() == ModbusSerialMode.RTU ? settings.interFrameNanos() : 0;
            this.framing = serial.mode() == ModbusSerialMode.RTU ? new RtuFraming(settings.interFrameNanos())
                    : new AsciiFraming();
        } else {
            this.settings = null;
            this.interFrameNanos = 0;
            this.framing = new RtuFraming(2_000_000L);
        }
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "modbus-line-" + key);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        this.lane = new IoLane() {
            @Override
            public void execute(Runnable task) {
                executor.execute(task);
            }

            @Override
            public boolean inLane() {
                return Thread.currentThread() == thread;
            }

            @Override
            public void release() {
                SerialBusRegistry.shared().release(SerialBus.this);
            }
        };
    }

    /** A bus for {@code endpoint} (a serial port or RTU over TCP). */
    static SerialBus create(String key, ModbusEndpoint endpoint, int connectTimeoutMs) {
        ByteStream stream;
        if (endpoint instanceof ModbusEndpoint.Serial serial) {
            stream = new SerialPortStream(serial.settings());
        } else if (endpoint instanceof ModbusEndpoint.RtuOverTcp rtu) {
            stream = new SocketStream(rtu.host(), rtu.port(), connectTimeoutMs);
        } else {
            throw new IllegalArgumentException("not a serial line: " + endpoint.describe());
        }
        return new SerialBus(key, endpoint, stream);
    }

    String key() {
        return key;
    }

    public ModbusEndpoint endpoint() {
        return endpoint;
    }

    /** The lane every device on this line runs on; releasing it gives up the user's share of the line. */
    public IoLane lane() {
        return lane;
    }

    /** Opens the port or connection if needed. Lane only. */
    public void open() throws IOException {
        if (!stream.isOpen()) {
            stream.open();
            lastActivityNanos = System.nanoTime();
            LOG.info("line {} open", endpoint.describe());
        }
    }

    /** Lane only. */
    public boolean isOpen() {
        return stream.isOpen();
    }

    /** Bytes that arrived outside any answer and were dropped (late answers, noise); lane only. */
    long staleBytes() {
        return staleBytes;
    }

    /**
     * Sends {@code pdu} to {@code unit} and waits for its answer: at most {@code timeoutMs} after the
     * request has left the wire. Never throws; a failed port or connection is closed and reported as
     * {@link ReadOutcome.CommFailure}. Lane only.
     */
    public Exchange transact(int unit, byte[] pdu, int timeoutMs) {
        if (!stream.isOpen()) {
            return new ReadOutcome.CommFailure(stream.describe() + " is not open");
        }
        try {
            waitForSilence();
            int stale = stream.discardInput();
            if (stale > 0) {
                staleBytes += stale;
                LOG.debug("line {}: dropped {} bytes that arrived between frames", key, stale);
            }
            byte[] frame = framing.encode(unit, pdu);
            stream.write(frame);
            long wireEnd = System.nanoTime() + (settings == null ? 0 : settings.wireNanos(frame.length));
            long before = framing.lastByteNanos();
            Exchange answer = framing.readAnswer(stream, unit, pdu[0] & 0xFF,
                    wireEnd + TimeUnit.MILLISECONDS.toNanos(timeoutMs));
            long lastByte = framing.lastByteNanos();
            lastActivityNanos = lastByte != before ? Math.max(lastByte, wireEnd) : Math.max(System.nanoTime(), wireEnd);
            return answer;
        } catch (IOException e) {
            LOG.warn("line {} failed: {}", endpoint.describe(), e.getMessage());
            stream.close();
            return new ReadOutcome.CommFailure(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    /** Modbus over Serial Line v1.02, 2.5.1.1: at least 3.5 character times between frames. */
    private void waitForSilence() {
        long until = lastActivityNanos + interFrameNanos;
        long left;
        while ((left = until - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    /** Closes the stream; lane only. */
    void closeStream() {
        if (stream.isOpen()) {
            LOG.info("line {} closed", endpoint.describe());
        }
        stream.close();
    }

    /** Closes the stream on the lane and stops the lane; called by the registry with the last user gone. */
    void shutdown() {
        executor.execute(this::closeStream);
        executor.shutdown();
    }

    @Override
    public String toString() {
        return "SerialBus[" + endpoint.describe() + "]";
    }
}
