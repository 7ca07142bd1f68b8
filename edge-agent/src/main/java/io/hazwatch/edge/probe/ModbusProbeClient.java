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
final class ModbusProbeClient implements AutoCloseable {

    /** The four data tables (Modbus Application Protocol v1.1b, 4.3) as the probe names them. */
    enum Table {
        HOLDING("holding", 3, '4', true), INPUT("input", 4, '3', true), COIL("coil", 1, '0', false),
        DISCRETE("discrete", 2, '1', false);

        final String configName;
        final int functionCode;
        final char plcPrefix;
        final boolean registers;

        Table(String configName, int functionCode, char plcPrefix, boolean registers) {
            this.configName = configName;
            this.functionCode = functionCode;
            this.plcPrefix = plcPrefix;
            this.registers = registers;
        }

        /** The largest read: 125 registers or 2000 bits (Modbus Application Protocol v1.1b, 6.1-6.4). */
        int maxCount() {
            return registers ? 125 : 2000;
        }

        /** The conventional PLC number of a 0-based address: holding 0 is 40001, holding 9999 is 410000. */
        String plcAddress(int address) {
            return plcPrefix + String.format(Locale.ROOT, address < 9999 ? "%04d" : "%05d", address + 1);
        }
    }

    /** What one request produced. */
    sealed interface Outcome {
        /** Registers, unsigned 16-bit. */
        record Registers(int[] values) implements Outcome {
        }

        /** Coils or discrete inputs. */
        record Bits(boolean[] values) implements Outcome {
        }

        /** A Modbus exception response (Modbus Application Protocol v1.1b, 7). */
        record Exception(int code) implements Outcome {
            /** Exceptions 10 and 11 come from a gateway: the unit behind it did not answer. */
            boolean fromGateway() {
                return code == 10 || code == 11;
            }

            String describe() {
                return "Modbus exception " + code + " (" + name(code) + ")";
            }
        }

        /** No answer in time. */
        record Timeout(String message) implements Outcome {
        }

        /** The connection failed. */
        record Failure(String message) implements Outcome {
        }
    }

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

    /** Reads {@code count} registers or bits of {@code table} from {@code address} at unit {@code unit}. */
    Outcome read(int unit, Table table, int address, int count) {
        try {
            connect();
        } catch (IOException e) {
            return new Outcome.Failure(e.getMessage());
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

    static String name(int code) {
        switch (code) {
            case 1:
                return "illegal function";
            case 2:
                return "illegal data address";
            case 3:
                return "illegal data value";
            case 4:
                return "server device failure";
            case 5:
                return "acknowledge";
            case 6:
                return "server device busy";
            case 8:
                return "memory parity error";
            case 10:
                return "gateway path unavailable";
            case 11:
                return "gateway target device failed to respond";
            default:
                return "unknown exception code";
        }
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
