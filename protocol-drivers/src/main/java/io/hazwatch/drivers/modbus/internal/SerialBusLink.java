package io.hazwatch.drivers.modbus.internal;

import io.hazwatch.drivers.modbus.ModbusTable;

import java.io.IOException;
import java.util.Objects;

/**
 * {@link ModbusLink} for one unit id on a shared {@link SerialBus}: our own PDU codec and RTU or ASCII
 * framing, used on the line's lane only. A timeout leaves the line open (a silent device says nothing
 * about the port); a failed port is closed by the line, for every device on it.
 */
public final class SerialBusLink implements ModbusLink {

    private final SerialBus bus;
    private final int unitId;
    private final int timeoutMs;

    public SerialBusLink(SerialBus bus, int unitId, int timeoutMs) {
        this.bus = Objects.requireNonNull(bus, "bus");
        this.unitId = unitId;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public void connect() throws IOException {
        bus.open();
    }

    @Override
    public boolean isConnected() {
        return bus.isOpen();
    }

    @Override
    public ReadOutcome read(ModbusTable table, int start, int quantity) {
        return read(unitId, table, start, quantity);
    }

    @Override
    public ReadOutcome read(int unit, ModbusTable table, int start, int quantity) {
        Exchange answer = bus.transact(unit, Pdu.readRequest(table, start, quantity), timeoutMs);
        if (answer instanceof Exchange.Reply reply) {
            return Pdu.readAnswer(reply.pdu(), table, quantity);
        }
        return (ReadOutcome) answer;
    }

    @Override
    public WriteOutcome write(WriteCommand command) {
        Exchange answer = bus.transact(unitId, Pdu.writeRequest(command), timeoutMs);
        if (answer instanceof Exchange.Reply reply) {
            return Pdu.writeAnswer(reply.pdu(), command);
        }
        return (WriteOutcome) answer;
    }

    /** The line stays open for its other devices; it closes with its last user. */
    @Override
    public void close() {
        // nothing of this unit's own to release
    }
}
