package io.hazwatch.drivers.modbus.internal;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.ModbusIOException;
import com.ghgande.j2mod.modbus.ModbusSlaveException;
import com.ghgande.j2mod.modbus.io.ModbusTCPTransaction;
import com.ghgande.j2mod.modbus.msg.ModbusRequest;
import com.ghgande.j2mod.modbus.msg.ModbusResponse;
import com.ghgande.j2mod.modbus.msg.ReadCoilsRequest;
import com.ghgande.j2mod.modbus.msg.ReadCoilsResponse;
import com.ghgande.j2mod.modbus.msg.ReadInputDiscretesRequest;
import com.ghgande.j2mod.modbus.msg.ReadInputDiscretesResponse;
import com.ghgande.j2mod.modbus.msg.ReadInputRegistersRequest;
import com.ghgande.j2mod.modbus.msg.ReadInputRegistersResponse;
import com.ghgande.j2mod.modbus.msg.ReadMultipleRegistersRequest;
import com.ghgande.j2mod.modbus.msg.ReadMultipleRegistersResponse;
import com.ghgande.j2mod.modbus.msg.WriteCoilRequest;
import com.ghgande.j2mod.modbus.msg.WriteCoilResponse;
import com.ghgande.j2mod.modbus.msg.WriteMultipleCoilsRequest;
import com.ghgande.j2mod.modbus.msg.WriteMultipleCoilsResponse;
import com.ghgande.j2mod.modbus.msg.WriteMultipleRegistersRequest;
import com.ghgande.j2mod.modbus.msg.WriteMultipleRegistersResponse;
import com.ghgande.j2mod.modbus.msg.WriteSingleRegisterRequest;
import com.ghgande.j2mod.modbus.msg.WriteSingleRegisterResponse;
import com.ghgande.j2mod.modbus.net.TCPMasterConnection;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.util.BitVector;
import io.hazwatch.drivers.modbus.ModbusTable;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Objects;

/**
 * {@link ModbusLink} on j2mod's master side: a {@link TCPMasterConnection} and one
 * {@link ModbusTCPTransaction} per request, with a single try (the driver decides about retries).
 *
 * <p>j2mod reports timeouts and broken connections with the same exception type and only the message
 * tells them apart, so {@link #classify} reads it (j2mod 3.2.1: "Socket timeout reading response").
 * After any I/O failure the connection is closed: a late answer to a timed-out request must not be
 * taken for the answer to the next one.
 */
public final class J2modLink implements ModbusLink {

    private final String host;
    private final int port;
    private final int unitId;
    private final int timeoutMs;
    private TCPMasterConnection connection;

    public J2modLink(String host, int port, int unitId, int timeoutMs) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.unitId = unitId;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public void connect() throws IOException {
        if (isConnected()) {
            return;
        }
        close();
        TCPMasterConnection fresh = new TCPMasterConnection(InetAddress.getByName(host));
        fresh.setPort(port);
        fresh.setTimeout(timeoutMs); // connect and read timeout
        try {
            fresh.connect();
        } catch (Exception e) { // j2mod declares connect() throws Exception
            fresh.close();
            throw new IOException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
        connection = fresh;
    }

    @Override
    public boolean isConnected() {
        return connection != null && connection.isConnected();
    }

    @Override
    public ReadOutcome read(ModbusTable table, int start, int quantity) {
        return read(unitId, table, start, quantity);
    }

    @Override
    public ReadOutcome read(int unit, ModbusTable table, int start, int quantity) {
        if (!isConnected()) {
            return new ReadOutcome.CommFailure("not connected");
        }
        ModbusRequest request = switch (table) {
            case HOLDING -> new ReadMultipleRegistersRequest(start, quantity);
            case INPUT -> new ReadInputRegistersRequest(start, quantity);
            case COIL -> new ReadCoilsRequest(start, quantity);
            case DISCRETE -> new ReadInputDiscretesRequest(start, quantity);
        };
        ModbusTCPTransaction transaction = transaction(request, unit);
        try {
            transaction.execute();
        } catch (ModbusSlaveException e) {
            return new ReadOutcome.DeviceException(e.getType());
        } catch (ModbusIOException e) {
            close();
            return (ReadOutcome) classify(e.getMessage());
        } catch (ModbusException e) {
            close();
            return new ReadOutcome.CommFailure(e.getMessage());
        }
        return decode(transaction.getResponse(), quantity);
    }

    @Override
    public WriteOutcome write(WriteCommand command) {
        if (!isConnected()) {
            return new ReadOutcome.CommFailure("not connected");
        }
        ModbusRequest request;
        if (command instanceof WriteCommand.SingleCoil c) {
            request = new WriteCoilRequest(c.address(), c.value());
        } else if (command instanceof WriteCommand.SingleRegister r) {
            request = new WriteSingleRegisterRequest(r.address(), new SimpleRegister(r.value()));
        } else if (command instanceof WriteCommand.MultipleCoils c) {
            boolean[] values = c.values();
            BitVector bits = new BitVector(values.length);
            for (int i = 0; i < values.length; i++) {
                bits.setBit(i, values[i]);
            }
            request = new WriteMultipleCoilsRequest(c.address(), bits);
        } else {
            int[] values = ((WriteCommand.MultipleRegisters) command).values();
            Register[] registers = new Register[values.length];
            for (int i = 0; i < values.length; i++) {
                registers[i] = new SimpleRegister(values[i]);
            }
            request = new WriteMultipleRegistersRequest(command.address(), registers);
        }
        ModbusTCPTransaction transaction = transaction(request, unitId);
        try {
            transaction.execute();
        } catch (ModbusSlaveException e) {
            return new ReadOutcome.DeviceException(e.getType());
        } catch (ModbusIOException e) {
            close();
            return (WriteOutcome) classify(e.getMessage());
        } catch (ModbusException e) {
            close();
            return new ReadOutcome.CommFailure(e.getMessage());
        }
        return confirm(transaction.getResponse(), command);
    }

    private ModbusTCPTransaction transaction(ModbusRequest request, int unit) {
        request.setUnitID(unit);
        ModbusTCPTransaction transaction = new ModbusTCPTransaction(connection);
        transaction.setRequest(request);
        transaction.setRetries(1);
        transaction.setReconnecting(false);
        return transaction;
    }

    /**
     * Modbus Application Protocol v1.1b, 6.5, 6.6, 6.11, 6.12: the response echoes address and value or
     * quantity. Addresses are compared as unsigned 16-bit numbers: j2mod 3.2.1's WriteCoilResponse
     * sign-extends the high byte, so coil 60000 comes back as -5536.
     */
    private WriteOutcome confirm(ModbusResponse response, WriteCommand command) {
        boolean echoed;
        if (response instanceof WriteCoilResponse r) {
            echoed = (r.getReference() & 0xFFFF) == command.address()
                    && r.getCoil() == ((WriteCommand.SingleCoil) command).value();
        } else if (response instanceof WriteSingleRegisterResponse r) {
            echoed = (r.getReference() & 0xFFFF) == command.address()
                    && (r.getRegisterValue() & 0xFFFF) == ((WriteCommand.SingleRegister) command).value();
        } else if (response instanceof WriteMultipleCoilsResponse r) {
            echoed = (r.getReference() & 0xFFFF) == command.address() && r.getBitCount() == command.quantity();
        } else if (response instanceof WriteMultipleRegistersResponse r) {
            echoed = (r.getReference() & 0xFFFF) == command.address() && r.getWordCount() == command.quantity();
        } else {
            close();
            return new ReadOutcome.CommFailure("unexpected response "
                    + (response == null ? "(none)" : response.getClass().getSimpleName()) + " to " + command.describe());
        }
        return echoed ? new WriteOutcome.Written()
                : new ReadOutcome.CommFailure("the device's echo does not match " + command.describe());
    }

    private ReadOutcome decode(ModbusResponse response, int quantity) {
        // the response type matches the request's function code, checked by j2mod
        if (response instanceof ReadMultipleRegistersResponse r) {
            return registers(r.getRegisters(), quantity);
        }
        if (response instanceof ReadInputRegistersResponse r) {
            return registers(r.getRegisters(), quantity);
        }
        if (response instanceof ReadCoilsResponse r) {
            return bits(r.getCoils(), quantity);
        }
        if (response instanceof ReadInputDiscretesResponse r) {
            return bits(r.getDiscretes(), quantity);
        }
        close();
        return new ReadOutcome.CommFailure("unexpected response "
                + (response == null ? "(none)" : response.getClass().getSimpleName()));
    }

    private ReadOutcome registers(InputRegister[] registers, int quantity) {
        if (registers == null || registers.length != quantity) {
            close();
            return new ReadOutcome.CommFailure("device returned " + (registers == null ? 0 : registers.length)
                    + " registers, " + quantity + " requested");
        }
        int[] values = new int[quantity];
        for (int i = 0; i < quantity; i++) {
            values[i] = registers[i].toUnsignedShort();
        }
        return new ReadOutcome.Registers(values);
    }

    private ReadOutcome bits(BitVector vector, int quantity) {
        // the frame carries whole bytes, so a vector may hold up to 7 padding bits
        if (vector == null || vector.size() < quantity) {
            close();
            return new ReadOutcome.CommFailure("device returned " + (vector == null ? 0 : vector.size())
                    + " bits, " + quantity + " requested");
        }
        boolean[] values = new boolean[quantity];
        for (int i = 0; i < quantity; i++) {
            values[i] = vector.getBit(i);
        }
        return new ReadOutcome.Bits(values);
    }

    /** Timeout or broken link, from a j2mod I/O exception message. */
    static Exchange.LinkFailure classify(String message) {
        String text = message == null ? "I/O failure" : message;
        if (text.toLowerCase(Locale.ROOT).contains("timeout") || text.toLowerCase(Locale.ROOT).contains("timed out")) {
            return new ReadOutcome.Timeout(text);
        }
        return new ReadOutcome.CommFailure(text);
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
