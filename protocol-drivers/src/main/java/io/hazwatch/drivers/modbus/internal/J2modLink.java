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
import com.ghgande.j2mod.modbus.net.TCPMasterConnection;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.util.BitVector;
import io.hazwatch.drivers.modbus.ModbusDeviceConfig;
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

    public J2modLink(ModbusDeviceConfig config) {
        Objects.requireNonNull(config, "config");
        this.host = config.host();
        this.port = config.port();
        this.unitId = config.unitId();
        this.timeoutMs = config.timeoutMs();
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
        if (!isConnected()) {
            return new ReadOutcome.CommFailure("not connected");
        }
        ModbusRequest request = switch (table) {
            case HOLDING -> new ReadMultipleRegistersRequest(start, quantity);
            case INPUT -> new ReadInputRegistersRequest(start, quantity);
            case COIL -> new ReadCoilsRequest(start, quantity);
            case DISCRETE -> new ReadInputDiscretesRequest(start, quantity);
        };
        request.setUnitID(unitId);
        ModbusTCPTransaction transaction = new ModbusTCPTransaction(connection);
        transaction.setRequest(request);
        transaction.setRetries(1);
        transaction.setReconnecting(false);
        try {
            transaction.execute();
        } catch (ModbusSlaveException e) {
            return new ReadOutcome.DeviceException(e.getType());
        } catch (ModbusIOException e) {
            close();
            return classify(e.getMessage());
        } catch (ModbusException e) {
            close();
            return new ReadOutcome.CommFailure(e.getMessage());
        }
        return decode(transaction.getResponse(), quantity);
    }

    private ReadOutcome decode(ModbusResponse response, int quantity) {
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
    static ReadOutcome classify(String message) {
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
