package io.hazwatch.sims.internal;

import com.ghgande.j2mod.modbus.Modbus;
import com.ghgande.j2mod.modbus.ModbusIOException;
import com.ghgande.j2mod.modbus.io.AbstractModbusTransport;
import com.ghgande.j2mod.modbus.msg.ModbusRequest;
import com.ghgande.j2mod.modbus.msg.ModbusResponse;
import com.ghgande.j2mod.modbus.net.AbstractSerialConnection;
import com.ghgande.j2mod.modbus.net.SerialConnection;
import com.ghgande.j2mod.modbus.util.SerialParameters;
import io.hazwatch.sims.SerialLineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A Modbus serial-line slave (RTU or ASCII) on one port: j2mod's serial slave transport (on
 * jSerialComm) and request and response messages behind a loop of our own; what it answers is
 * {@link SlaveBehaviour}'s business. Several unit ids may share the port, like several instruments on
 * one RS-485 pair. A frame for another unit, or one with a bad CRC or LRC, gets no answer (Modbus over
 * Serial Line v1.02, 2.4.1: the slave discards it).
 *
 * <p>Why our own loop and not j2mod's {@code ModbusSerialListener}: in RTU mode the slave must let
 * 3.5 character times of silence pass after a request before it answers (Serial Line v1.02, 2.5.1.1;
 * a fixed 1.75 ms above 19200 baud), which j2mod 3.2.1 computes as 0 ms at 19200 baud and below; and
 * the simulator must survive its port disappearing (a USB adapter pulled, a socat pty pair killed)
 * and take it back when it returns.
 *
 * <p>Threading: one thread runs the loop; the fault-injection methods may be called from any thread.
 * {@link #close()} stops the loop and closes the port.
 */
public final class ModbusSerialSlave implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModbusSerialSlave.class);
    /** How long the loop waits for a request before it looks at its closed flag again. */
    private static final int READ_TIMEOUT_MS = 100;
    private static final long REOPEN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** The fixed line settings of one port. Parity and stop bits use jSerialComm's constants. */
    public record Line(String device, int baudRate, int dataBits, int parity, int stopBits, boolean ascii) {
        public Line {
            Objects.requireNonNull(device, "device");
        }

        /** The line the public options describe. */
        public static Line of(SerialLineOptions options) {
            int parity = switch (options.parity()) {
                case NONE -> AbstractSerialConnection.NO_PARITY;
                case ODD -> AbstractSerialConnection.ODD_PARITY;
                case EVEN -> AbstractSerialConnection.EVEN_PARITY;
            };
            return new Line(options.device(), options.baudRate(), options.dataBits(), parity,
                    options.stopBits() == 2 ? AbstractSerialConnection.TWO_STOP_BITS
                            : AbstractSerialConnection.ONE_STOP_BIT,
                    options.encoding() == SerialLineOptions.Encoding.ASCII);
        }

        /** Bits per character on the wire: start, data, parity, stop. */
        public int bitsPerCharacter() {
            int stop = stopBits == AbstractSerialConnection.TWO_STOP_BITS ? 2 : 1;
            return 1 + dataBits + (parity == AbstractSerialConnection.NO_PARITY ? 0 : 1) + stop;
        }

        /**
         * Modbus over Serial Line v1.02, 2.5.1.1: 3.5 character times between RTU frames, fixed at
         * 1.75 ms above 19200 baud.
         */
        public long interFrameNanos() {
            if (baudRate > 19200) {
                return 1_750_000L;
            }
            return Math.round(3.5 * bitsPerCharacter() * 1e9 / baudRate);
        }
    }

    private final Line line;
    private final SlaveBehaviour behaviour;
    private final Thread loop;
    private final AtomicInteger corruptNext = new AtomicInteger();
    private final AtomicLong framesAnswered = new AtomicLong();
    private volatile SimConnection connection;
    private volatile boolean closed;

    /** Starts the loop; the port is opened (and re-opened after a failure) by the loop itself. */
    public ModbusSerialSlave(Line line, SlaveBehaviour behaviour, String name) {
        this.line = Objects.requireNonNull(line, "line");
        this.behaviour = Objects.requireNonNull(behaviour, "behaviour");
        this.loop = new Thread(this::run, name + ":" + line.device());
        this.loop.setDaemon(true);
        this.loop.start();
    }

    public Line line() {
        return line;
    }

    /** True while the port is open. */
    public boolean isOpen() {
        SimConnection c = connection;
        return c != null && !c.broken;
    }

    /** Requests answered so far. */
    public long framesAnswered() {
        return framesAnswered.get();
    }

    /** Fault injection: the next {@code count} responses leave with a wrong CRC (RTU) or LRC (ASCII). */
    public void corruptNextResponses(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        corruptNext.set(count);
    }

    /** Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        loop.interrupt();
        try {
            loop.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConnection();
    }

    private void run() {
        long lastOpenFailureLog = 0;
        while (!closed) {
            SimConnection c = connection;
            if (c == null || c.broken) {
                closeConnection();
                c = open();
                if (c == null) {
                    long now = System.nanoTime();
                    if (now - lastOpenFailureLog > TimeUnit.SECONDS.toNanos(10)) {
                        LOG.info("cannot open {}; retrying every 100 ms", line.device());
                        lastOpenFailureLog = now;
                    }
                    LockSupport.parkNanos(REOPEN_INTERVAL_NANOS); // waiting for the port to come back
                    continue;
                }
                connection = c;
                LOG.info("serving {} on {} at {} baud ({})", behaviour, line.device(), line.baudRate(),
                        line.ascii() ? "ASCII" : "RTU");
            }
            serveOne(c);
        }
    }

    private void serveOne(SimConnection c) {
        AbstractModbusTransport transport = c.getModbusTransport();
        try {
            ModbusRequest request = transport.readRequest(behaviour.resolver());
            if (request == null || closed) {
                return;
            }
            long received = System.nanoTime();
            ModbusResponse response = behaviour.respond(request);
            if (!behaviour.pause() || closed) {
                return;
            }
            if (!line.ascii()) {
                waitUntil(received + line.interFrameNanos());
            }
            c.corruptThisResponse = corruptNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
            transport.writeResponse(response);
            framesAnswered.incrementAndGet();
        } catch (ModbusIOException e) {
            if (!closed && c.broken) {
                LOG.info("port {} failed ({}); re-opening", line.device(), e.getMessage());
            } else {
                // no request within the read timeout, or a frame with a bad checksum: stay silent
                LOG.trace("no request on {}: {}", line.device(), e.getMessage());
            }
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.warn("request on {} failed", line.device(), e);
            }
        }
    }

    private SimConnection open() {
        SerialParameters parameters = new SerialParameters();
        parameters.setPortName(line.device());
        parameters.setBaudRate(line.baudRate());
        parameters.setDatabits(line.dataBits());
        parameters.setParity(line.parity());
        parameters.setStopbits(line.stopBits());
        parameters.setEncoding(line.ascii() ? Modbus.SERIAL_ENCODING_ASCII : Modbus.SERIAL_ENCODING_RTU);
        parameters.setOpenDelay(0);
        SimConnection c = new SimConnection(parameters);
        try {
            c.open();
            c.setTimeout(READ_TIMEOUT_MS);
            return c;
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot open {}: {}", line.device(), e.getMessage());
            c.close();
            return null;
        }
    }

    private void closeConnection() {
        SimConnection c = connection;
        connection = null;
        if (c == null) {
            return;
        }
        if (!c.broken) {
            c.close();
            return;
        }
        // jSerialComm's closePort joins the event thread j2mod's connection listens with, and on a port that
        // vanished that thread can stay stuck in the kernel for a long time: close it aside, so that the
        // simulator can open the port again as soon as it is back
        Thread closer = new Thread(c::close, "close-" + line.device());
        closer.setDaemon(true);
        closer.start();
    }

    private static void waitUntil(long deadlineNanos) {
        long left;
        while ((left = deadlineNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left); // the line's silent interval, not a test waiting
        }
    }

    @Override
    public String toString() {
        return "ModbusSerialSlave[" + line.device() + " " + line.baudRate() + (line.ascii() ? " ASCII" : " RTU") + "]";
    }

    /**
     * j2mod's jSerialComm connection, noticing a dead port and corrupting a response on demand.
     *
     * <p>It reports a very high baud rate to j2mod: after writing a frame, j2mod 3.2.1 waits until it
     * thinks the frame has left the wire, and that wait, computed from the baud rate, kept the slave deaf
     * for about half an answer's wire time after the answer had arrived (133 ms after a 255-byte answer at
     * 9600 baud, measured on a simulated wire). The port, not the slave, carries the wire time. The
     * line's real settings still open the port and time the inter-frame gap above.
     */
    private final class SimConnection extends SerialConnection {
        private static final int REPORTED_BAUD = 1_000_000_000;
        private volatile boolean broken;
        private volatile boolean corruptThisResponse;

        SimConnection(SerialParameters parameters) {
            super(parameters);
        }

        @Override
        public int getBaudRate() {
            return REPORTED_BAUD;
        }

        @Override
        public int readBytes(byte[] buffer, int count) {
            int n = super.readBytes(buffer, count);
            // jSerialComm: -1 is an error; a pty whose other end went away may also just read nothing, but
            // then asking how much is waiting fails (EIO), as it does for a pulled USB adapter
            if (n < 0 || (n == 0 && super.bytesAvailable() < 0)) {
                broken = true;
            }
            return n;
        }

        @Override
        public int writeBytes(byte[] buffer, int count) {
            byte[] out = buffer;
            if (corruptThisResponse && count > 0 && buffer[0] != ':') {
                corruptThisResponse = false;
                out = buffer.clone();
                if (line.ascii()) {
                    out[0] = (byte) (out[0] == '0' ? '1' : '0'); // a wrong hex digit: the LRC no longer fits
                } else {
                    out[count - 1] ^= 0x01; // the CRC's high byte
                }
            }
            int n = super.writeBytes(out, count);
            if (n < 0) {
                broken = true;
            }
            return n;
        }
    }
}
