package io.hazwatch.drivers.modbus.testing;

import com.fazecast.jSerialComm.SerialPort;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A half-duplex serial line at a given baud rate between two pty pairs, because a pty has no baud rate:
 * the master opens one pair's {@code a}, the slave the other pair's {@code b}, and this relays between
 * their other ends, handing on each byte only when it would have finished crossing a real wire. Both
 * directions share the one line, as on RS-485. It also records when each byte was on the wire, so a
 * test can measure the silent intervals between frames.
 *
 * <p>Threading: one pump thread per direction; {@link #frames()} may be called from any thread.
 */
public final class SerialLineEmulator implements AutoCloseable {

    /** One frame on the wire: consecutive bytes in one direction without a gap of 1.5 characters. */
    public record Frame(boolean fromMaster, byte[] bytes, long startNanos, long endNanos) {
        public int length() {
            return bytes.length;
        }
    }

    private record WireByte(boolean fromMaster, byte value, long startNanos, long endNanos) {
    }

    private final double charNanos;
    private final SerialPort masterEnd;
    private final SerialPort slaveEnd;
    private final Thread toSlave;
    private final Thread toMaster;
    private final List<WireByte> wire = new ArrayList<>();
    private final boolean recording;
    private long lineFreeAt;
    private volatile boolean closed;

    /**
     * @param masterPair     the master opens its {@code a}
     * @param slavePair      the slave opens its {@code b}
     * @param bitsPerCharacter start + data + parity + stop bits
     * @param record         keep every byte's wire time (tests); off for long benchmark runs
     */
    public SerialLineEmulator(PtyPair masterPair, PtyPair slavePair, int baudRate, int bitsPerCharacter,
                              boolean record) {
        this.charNanos = bitsPerCharacter * 1e9 / baudRate;
        this.recording = record;
        this.masterEnd = open(masterPair.b());
        this.slaveEnd = open(slavePair.a());
        this.toSlave = new Thread(() -> pump(masterEnd, slaveEnd, true), "line-to-slave");
        this.toMaster = new Thread(() -> pump(slaveEnd, masterEnd, false), "line-to-master");
        toSlave.setDaemon(true);
        toMaster.setDaemon(true);
        toSlave.start();
        toMaster.start();
    }

    private static SerialPort open(Path end) {
        SerialPort port = SerialPort.getCommPort(end.toString());
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, 100, 1000);
        if (!port.openPort(0)) {
            throw new IllegalStateException("cannot open " + end + " (error " + port.getLastErrorCode() + ")");
        }
        return port;
    }

    /** Time one character takes on this line. */
    public double characterNanos() {
        return charNanos;
    }

    private void pump(SerialPort in, SerialPort out, boolean fromMaster) {
        byte[] buffer = new byte[512];
        long[] ends = new long[buffer.length];
        while (!closed) {
            int n = in.readBytes(buffer, buffer.length);
            if (n <= 0) {
                if (n < 0 && !closed) {
                    return;
                }
                continue;
            }
            long arrived = System.nanoTime();
            synchronized (this) {
                for (int i = 0; i < n; i++) {
                    long start = Math.max(lineFreeAt, i == 0 ? arrived : ends[i - 1]);
                    ends[i] = start + Math.round(charNanos);
                    lineFreeAt = ends[i];
                    if (recording) {
                        wire.add(new WireByte(fromMaster, buffer[i], start, ends[i]));
                    }
                }
            }
            int sent = 0;
            while (sent < n && !closed) {
                long wait = ends[sent] - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait); // the byte is still on the wire
                    continue;
                }
                int upTo = sent;
                long now = System.nanoTime();
                while (upTo < n && ends[upTo] <= now) {
                    upTo++;
                }
                out.writeBytes(buffer, upTo - sent, sent);
                sent = upTo;
            }
        }
    }

    /** The frames seen so far, in wire order. */
    public synchronized List<Frame> frames() {
        List<Frame> frames = new ArrayList<>();
        WireByte first = null;
        WireByte last = null;
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (WireByte b : wire) {
            boolean continues = last != null && last.fromMaster() == b.fromMaster()
                    && b.startNanos() - last.endNanos() < 1.5 * charNanos;
            if (!continues && first != null) {
                frames.add(new Frame(first.fromMaster(), bytes.toByteArray(), first.startNanos(), last.endNanos()));
                first = null;
            }
            if (first == null) {
                first = b;
                bytes.reset();
            }
            bytes.write(b.value());
            last = b;
        }
        if (first != null) {
            frames.add(new Frame(first.fromMaster(), bytes.toByteArray(), first.startNanos(), last.endNanos()));
        }
        return frames;
    }

    /** Forgets what was recorded. */
    public synchronized void clear() {
        wire.clear();
    }

    @Override
    public void close() {
        closed = true;
        try {
            toSlave.join(TimeUnit.SECONDS.toMillis(2));
            toMaster.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        masterEnd.closePort();
        slaveEnd.closePort();
    }
}
