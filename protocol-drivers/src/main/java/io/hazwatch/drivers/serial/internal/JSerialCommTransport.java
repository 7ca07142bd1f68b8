package io.hazwatch.drivers.serial.internal;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import io.hazwatch.drivers.serial.SerialPortSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * {@link LineTransport} on a jSerialComm {@link SerialPort} in semi-blocking read mode: a read returns
 * as soon as one byte has arrived, or after {@code pollMillis} with nothing.
 *
 * <p>jSerialComm reports a failed read as {@code -1} without a reason; the port is then unusable and
 * is reopened by the driver.
 */
public final class JSerialCommTransport implements LineTransport {

    private final SerialPortSettings settings;
    private final int pollMillis;
    private SerialPort port;

    public JSerialCommTransport(SerialPortSettings settings, int pollMillis) {
        this.settings = Objects.requireNonNull(settings, "settings");
        if (pollMillis < 1) {
            throw new IllegalArgumentException("pollMillis must be >= 1, got " + pollMillis);
        }
        this.pollMillis = pollMillis;
    }

    @Override
    public void open() throws IOException {
        if (isOpen()) {
            return;
        }
        close();
        if (!Files.exists(Path.of(settings.device()))) {
            throw new IOException("no such device " + settings.device());
        }
        SerialPort candidate;
        try {
            candidate = SerialPort.getCommPort(settings.device());
        } catch (SerialPortInvalidPortException e) {
            throw new IOException("cannot use " + settings.device() + ": " + e.getMessage(), e);
        }
        candidate.setComPortParameters(settings.baud(), settings.dataBits(), stopBits(settings.stopBits()),
                parity(settings.parity()));
        candidate.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        candidate.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, pollMillis, 0);
        if (!candidate.openPort()) {
            throw new IOException("cannot open " + settings.device() + " (jSerialComm error code "
                    + candidate.getLastErrorCode() + " at native line " + candidate.getLastErrorLocation()
                    + "; in use by another program, or no permission?)");
        }
        port = candidate;
    }

    @Override
    public boolean isOpen() {
        return port != null && port.isOpen();
    }

    @Override
    public int read(byte[] buffer) throws IOException {
        SerialPort p = requireOpen();
        int n = p.readBytes(buffer, buffer.length);
        if (n < 0) {
            throw new IOException("reading " + settings.device() + " failed (jSerialComm error code "
                    + p.getLastErrorCode() + "); the device may be gone");
        }
        return n;
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        SerialPort p = requireOpen();
        int written = p.writeBytes(bytes, bytes.length);
        if (written != bytes.length) {
            throw new IOException("writing to " + settings.device() + " failed: " + written + " of " + bytes.length
                    + " bytes written (jSerialComm error code " + p.getLastErrorCode() + ")");
        }
    }

    @Override
    public void close() {
        if (port != null) {
            port.closePort();
            port = null;
        }
    }

    @Override
    public String describe() {
        return settings.describe();
    }

    private SerialPort requireOpen() throws IOException {
        if (port == null) {
            throw new IOException(settings.device() + " is not open");
        }
        return port;
    }

    private static int stopBits(SerialPortSettings.StopBits stopBits) {
        switch (stopBits) {
            case ONE_POINT_FIVE:
                return SerialPort.ONE_POINT_FIVE_STOP_BITS;
            case TWO:
                return SerialPort.TWO_STOP_BITS;
            default:
                return SerialPort.ONE_STOP_BIT;
        }
    }

    private static int parity(SerialPortSettings.Parity parity) {
        switch (parity) {
            case EVEN:
                return SerialPort.EVEN_PARITY;
            case ODD:
                return SerialPort.ODD_PARITY;
            case MARK:
                return SerialPort.MARK_PARITY;
            case SPACE:
                return SerialPort.SPACE_PARITY;
            default:
                return SerialPort.NO_PARITY;
        }
    }
}
