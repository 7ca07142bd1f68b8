package io.hazwatch.sims.serial.internal;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The instrument's end of a serial line (a real port or one end of a socat pty pair), 8N1, on
 * jSerialComm. Writes give up after one second so a line nobody reads cannot stall a simulator.
 * Reads wait at most {@code pollMillis} for the first byte. One writer thread and one reader thread.
 */
public final class SimSerialPort implements AutoCloseable {

    private static final int WRITE_TIMEOUT_MS = 1_000;

    private final String device;
    private final SerialPort port;

    private SimSerialPort(String device, SerialPort port) {
        this.device = device;
        this.port = port;
    }

    /**
     * Opens {@code device} at {@code baud} 8N1.
     *
     * @throws UncheckedIOException when it does not exist or cannot be opened
     */
    public static SimSerialPort open(String device, int baud, int pollMillis) {
        if (!Files.exists(Path.of(device))) {
            throw new UncheckedIOException(new IOException("no such device " + device));
        }
        SerialPort port;
        try {
            port = SerialPort.getCommPort(device);
        } catch (SerialPortInvalidPortException e) {
            throw new UncheckedIOException(new IOException("cannot use " + device + ": " + e.getMessage(), e));
        }
        port.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING,
                pollMillis, WRITE_TIMEOUT_MS);
        if (!port.openPort()) {
            throw new UncheckedIOException(new IOException("cannot open " + device + " (jSerialComm error code "
                    + port.getLastErrorCode() + ")"));
        }
        return new SimSerialPort(device, port);
    }

    public String device() {
        return device;
    }

    /** Writes {@code text} as ISO-8859-1 bytes; false when not all of it went out in time. */
    public boolean write(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return port.writeBytes(bytes, bytes.length) == bytes.length;
    }

    /** Bytes that arrived, waiting at most the poll time; 0 for none, -1 when the port failed. */
    public int read(byte[] buffer) {
        return port.readBytes(buffer, buffer.length);
    }

    public boolean isOpen() {
        return port.isOpen();
    }

    /** Idempotent. */
    @Override
    public void close() {
        if (port.isOpen()) {
            port.closePort();
        }
    }
}
