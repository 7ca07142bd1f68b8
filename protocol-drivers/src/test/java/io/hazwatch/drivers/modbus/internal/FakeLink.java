package io.hazwatch.drivers.modbus.internal;

import io.hazwatch.drivers.modbus.ModbusTable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A scripted {@link ModbusLink}: no sockets, records what the driver asked for. */
final class FakeLink implements ModbusLink {

    /** Answers one read. */
    interface Device {
        ReadOutcome read(ModbusTable table, int start, int quantity);
    }

    /** Answers one write. */
    interface Writer {
        WriteOutcome write(WriteCommand command);
    }

    /**
     * Register {@code a} holds {@code a}, except that reads touching any of {@code holes} are refused with
     * exception 2, as a device with unmapped addresses does.
     */
    static Device withHoles(java.util.Set<Integer> holes) {
        Device all = withAddresses(65536);
        return (table, start, quantity) -> {
            for (int a = start; a < start + quantity; a++) {
                if (holes.contains(a)) {
                    return new ReadOutcome.DeviceException(2);
                }
            }
            return all.read(table, start, quantity);
        };
    }

    /** Register {@code a} holds {@code a}; bits are set at odd addresses; anything at or past {@code size} is exception 2. */
    static Device withAddresses(int size) {
        return (table, start, quantity) -> {
            if (start + quantity > size) {
                return new ReadOutcome.DeviceException(2);
            }
            if (table.isRegisterTable()) {
                int[] values = new int[quantity];
                for (int i = 0; i < quantity; i++) {
                    values[i] = start + i;
                }
                return new ReadOutcome.Registers(values);
            }
            boolean[] bits = new boolean[quantity];
            for (int i = 0; i < quantity; i++) {
                bits[i] = (start + i) % 2 == 1;
            }
            return new ReadOutcome.Bits(bits);
        };
    }

    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    volatile boolean refuseConnect;
    volatile Device device = withAddresses(65536);
    volatile Writer writer = command -> new WriteOutcome.Written();
    volatile Runnable beforeRead = () -> { };
    private volatile boolean connected;

    @Override
    public void connect() throws IOException {
        log.add("connect");
        if (refuseConnect) {
            throw new IOException("Connection refused");
        }
        connected = true;
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    @Override
    public ReadOutcome read(ModbusTable table, int start, int quantity) {
        log.add("read " + table.configName() + " " + start + "+" + quantity);
        beforeRead.run();
        ReadOutcome outcome = device.read(table, start, quantity);
        if (outcome instanceof ReadOutcome.Timeout || outcome instanceof ReadOutcome.CommFailure) {
            connected = false;
        }
        return outcome;
    }

    @Override
    public ReadOutcome read(int unitId, ModbusTable table, int start, int quantity) {
        log.add("unit " + unitId);
        return read(table, start, quantity);
    }

    @Override
    public WriteOutcome write(WriteCommand command) {
        log.add("write " + command.describe());
        WriteOutcome outcome = writer.write(command);
        if (outcome instanceof ReadOutcome.Timeout || outcome instanceof ReadOutcome.CommFailure) {
            connected = false;
        }
        return outcome;
    }

    List<String> writes() {
        synchronized (log) {
            return log.stream().filter(s -> s.startsWith("write")).toList();
        }
    }

    @Override
    public void close() {
        log.add("close");
        connected = false;
    }

    long count(String prefix) {
        synchronized (log) {
            return log.stream().filter(s -> s.startsWith(prefix)).count();
        }
    }

    List<String> reads() {
        synchronized (log) {
            return log.stream().filter(s -> s.startsWith("read")).toList();
        }
    }

    void clearLog() {
        log.clear();
    }
}
