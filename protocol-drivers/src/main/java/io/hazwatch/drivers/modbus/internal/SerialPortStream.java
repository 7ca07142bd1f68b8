package io.hazwatch.drivers.modbus.internal;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import io.hazwatch.drivers.modbus.SerialSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A serial port through jSerialComm. The port is looked up again on every {@link #open()}, so a
 * symbolic link that now points elsewhere (a re-plugged adapter, a restarted socat pty pair) is
 * followed. Reads wait with jSerialComm's semi-blocking mode, which returns as soon as a byte is there.
 */
public final class SerialPortStream implements ByteStream {

    private final SerialSettings settings;
    private SerialPort port;
    private int readTimeoutMs = -1;

    public SerialPortStream(SerialSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public void open() throws IOException {
        if (isOpen()) {
            return;
        }
        close();
        if (!Files.exists(Path.of(settings.port()))) {
            throw new IOException("serial port " + settings.port() + " does not exist");
        }
        SerialPort candidate;
        try {
            candidate = SerialPort.getCommPort(settings.port());
        } catch (SerialPortInvalidPortException e) {
            throw new IOException("no serial port " + settings.port() + ": " + e.getMessage(), e);
        }
        int parity = switch (settings.parity()) {
            case NONE -> SerialPort.NO_PARITY;
            case EVEN -> SerialPort.EVEN_PARITY;
            case ODD -> SerialPort.ODD_PARITY;
        };
        candidate.setComPortParameters(settings.baudRate(), settings.dataBits(),
                settings.stopBits() == 2 ? SerialPort.TWO_STOP_BITS : SerialPort.ONE_STOP_BIT, parity);
        candidate.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        candidate.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, 100,
                1000);
        readTimeoutMs = 100;
        if (!candidate.openPort(0)) {
            throw new IOException("cannot open serial port " + settings.port() + " (error " + candidate.getLastErrorCode()
                    + ")");
        }
        port = candidate;
    }

    @Override
    public boolean isOpen() {
        return port != null && port.isOpen();
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        SerialPort p = requireOpen();
        int done = 0;
        while (done < bytes.length) {
            int n = p.writeBytes(bytes, bytes.length - done, done);
            if (n <= 0) {
                throw new IOException("write to " + settings.port() + " failed (error " + p.getLastErrorCode() + ")");
            }
            done += n;
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length, long deadlineNanos) throws IOException {
        SerialPort p = requireOpen();
        long left = deadlineNanos - System.nanoTime();
        int available = p.bytesAvailable();
        if (available < 0) {
            throw new IOException("serial port " + settings.port() + " failed (error " + p.getLastErrorCode() + ")");
        }
        if (left <= 0 && available == 0) {
            return 0;
        }
        if (available == 0) {
            // semi-blocking: returns when the first byte arrives, or after the timeout (whole milliseconds)
            int timeoutMs = (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left + 999_999)));
            if (timeoutMs != readTimeoutMs) {
                p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING,
                        timeoutMs, 1000);
                readTimeoutMs = timeoutMs;
            }
        }
        int n = p.readBytes(buffer, available > 0 ? Math.min(length, available) : length, offset);
        if (n < 0) {
            throw new IOException("read from " + settings.port() + " failed (error " + p.getLastErrorCode() + ")");
        }
        return n;
    }

    @Override
    public int discardInput() throws IOException {
        SerialPort p = requireOpen();
        int dropped = 0;
        byte[] sink = new byte[256];
        int available;
        while ((available = p.bytesAvailable()) > 0) {
            int n = p.readBytes(sink, Math.min(available, sink.length), 0);
            if (n <= 0) {
                break;
            }
            dropped += n;
        }
        if (available < 0) {
            throw new IOException("serial port " + settings.port() + " failed (error " + p.getLastErrorCode() + ")");
        }
        return dropped;
    }

    @Override
    public void close() {
        SerialPort p = port;
        port = null;
        if (p != null) {
            p.closePort();
        }
    }

    @Override
    public String describe() {
        return settings.port();
    }

    private SerialPort requireOpen() throws IOException {
        SerialPort p = port;
        if (p == null || !p.isOpen()) {
            throw new IOException("serial port " + settings.port() + " is not open");
        }
        return p;
    }
}
