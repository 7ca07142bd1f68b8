package io.hazwatch.edge.probe;

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

import java.io.IOException;
import java.net.InetAddress;
import java.util.Locale;

/**
 * A raw Modbus TCP master for the probe commands, on j2mod: one request at a time, no retries, no
 * planning, any unit id per request. After a timeout or I/O error the connection is closed and the
 * next request reconnects, so a late answer is never taken for the next one.
 *
 * <p>Not thread-safe: one command uses it from one thread.
 */
final class ModbusProbeClient implements ModbusProbeLink {

    private final String host;
    private final int port;
    private final int timeoutMs;
    private TCPMasterConnection connection;

    ModbusProbeClient(String host, int port, int timeoutMs) {
        this.host = host;
        this.port = port;
        this.timeoutMs = timeoutMs;
    }

    /** Connects unless connected. */
    void connect() throws IOException {
        if (connection != null && connection.isConnected()) {
            return;
        }
        close();
        TCPMasterConnection fresh = new TCPMasterConnection(InetAddress.getByName(host));
        fresh.setPort(port);
        fresh.setTimeout(timeoutMs);
        try {
            fresh.connect();
        } catch (Exception e) { // j2mod declares connect() throws Exception
            fresh.close();
            throw new IOException("cannot connect to " + host + ":" + port + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        connection = fresh;
    }

    @Override
    public String describe() {
        return host + ":" + port;
    }

    @Override
    public Outcome read(int unit, Table table, int address, int count) {
        try {
            connect();
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            return new Outcome.Unreachable(message.startsWith("cannot connect") ? message
                    : "cannot connect to " + host + ":" + port + ": " + e); // e.g. an unknown host
        }
        ModbusRequest request;
        switch (table) {
            case HOLDING:
                request = new ReadMultipleRegistersRequest(address, count);
                break;
            case INPUT:
                request = new ReadInputRegistersRequest(address, count);
                break;
            case COIL:
                request = new ReadCoilsRequest(address, count);
                break;
            default:
                request = new ReadInputDiscretesRequest(address, count);
        }
        request.setUnitID(unit);
        ModbusTCPTransaction transaction = new ModbusTCPTransaction(connection);
        transaction.setRequest(request);
        transaction.setRetries(0);
        transaction.setReconnecting(false);
        try {
            transaction.execute();
        } catch (ModbusSlaveException e) {
            return new Outcome.Exception(e.getType());
        } catch (ModbusIOException e) {
            close();
            String message = String.valueOf(e.getMessage());
            return message.toLowerCase(Locale.ROOT).contains("timeout") || message.contains("timed out")
                    ? new Outcome.Timeout("no answer within " + timeoutMs + " ms")
                    : new Outcome.Failure(message);
        } catch (ModbusException e) {
            close();
            return new Outcome.Failure(String.valueOf(e.getMessage()));
        }
        return decode(transaction.getResponse(), count);
    }

    private Outcome decode(ModbusResponse response, int count) {
        if (response instanceof ReadMultipleRegistersResponse r) {
            return registers(r.getRegisters(), count);
        }
        if (response instanceof ReadInputRegistersResponse r) {
            return registers(r.getRegisters(), count);
        }
        if (response instanceof ReadCoilsResponse r) {
            return bits(r.getCoils(), count);
        }
        if (response instanceof ReadInputDiscretesResponse r) {
            return bits(r.getDiscretes(), count);
        }
        close();
        return new Outcome.Failure("unexpected response " + (response == null ? "(none)"
                : response.getClass().getSimpleName()));
    }

    private Outcome registers(InputRegister[] registers, int count) {
        if (registers == null || registers.length != count) {
            close();
            return new Outcome.Failure("asked for " + count + " registers, got "
                    + (registers == null ? 0 : registers.length));
        }
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            values[i] = registers[i].toUnsignedShort();
        }
        return new Outcome.Registers(values);
    }

    private static Outcome bits(BitVector vector, int count) {
        boolean[] values = new boolean[count];
        for (int i = 0; i < count; i++) {
            values[i] = vector != null && i < vector.size() && vector.getBit(i);
        }
        return new Outcome.Bits(values);
    }

    /** Idempotent. */
    @Override
    public void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
