package io.hazwatch.drivers.modbus.internal;

import io.hazwatch.drivers.modbus.ModbusEndpoint;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The serial lines in use in this process, so that every device on one port (or behind one serial
 * device server) shares one {@link SerialBus}: a port can be opened only once, and its devices must
 * take turns. A line is created with its first device and closed with its last. Process-wide by
 * nature, like the ports themselves. Thread-safe.
 */
public final class SerialBusRegistry {

    private static final SerialBusRegistry SHARED = new SerialBusRegistry();

    private final Map<String, SerialBus> buses = new HashMap<>();
    private final Map<String, Integer> users = new HashMap<>();

    private SerialBusRegistry() {
    }

    public static SerialBusRegistry shared() {
        return SHARED;
    }

    /**
     * The line for {@code endpoint}, opened for one more user; release it with its lane's
     * {@link IoLane#release()}.
     *
     * @return the line, or the reason it cannot be shared: the port is already in use with other settings
     */
    public synchronized Result acquire(ModbusEndpoint endpoint, int connectTimeoutMs) {
        String key = key(endpoint);
        SerialBus bus = buses.get(key);
        if (bus != null && !bus.endpoint().equals(endpoint)) {
            return new Result(Optional.empty(), Optional.of("line " + key + " is already in use as "
                    + bus.endpoint().describe() + "; every device on one line needs the same settings"));
        }
        if (bus == null) {
            bus = SerialBus.create(key, endpoint, connectTimeoutMs);
            buses.put(key, bus);
        }
        users.merge(key, 1, Integer::sum);
        return new Result(Optional.of(bus), Optional.empty());
    }

    /** {@link #acquire}'s answer: a line, or why not. */
    public record Result(Optional<SerialBus> bus, Optional<String> conflict) {
    }

    synchronized void release(SerialBus bus) {
        String key = bus.key();
        if (buses.get(key) != bus) {
            return; // released twice
        }
        int left = users.merge(key, -1, Integer::sum);
        if (left <= 0) {
            users.remove(key);
            buses.remove(key);
            bus.shutdown();
        }
    }

    /** Lines in use, for tests and status. */
    public synchronized int lineCount() {
        return buses.size();
    }

    /**
     * A port by its normalised path as written (not the link's target: a pty or adapter link may point
     * elsewhere after a restart), a device server by host and port.
     */
    static String key(ModbusEndpoint endpoint) {
        if (endpoint instanceof ModbusEndpoint.Serial serial) {
            return Path.of(serial.settings().port()).toAbsolutePath().normalize().toString();
        }
        if (endpoint instanceof ModbusEndpoint.RtuOverTcp rtu) {
            return rtu.host() + ":" + rtu.port();
        }
        throw new IllegalArgumentException("not a serial line: " + endpoint.describe());
    }
}
