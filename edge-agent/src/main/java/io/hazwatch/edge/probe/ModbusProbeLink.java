package io.hazwatch.edge.probe;

import io.hazwatch.drivers.modbus.ModbusReadResult;
import io.hazwatch.drivers.modbus.ModbusTable;

import java.util.Locale;

/**
 * Where the {@code probe modbus} commands send their requests: a Modbus TCP host or gateway
 * ({@link ModbusProbeClient}), or a serial line through the project's RTU driver ({@link RtuProbeLink}).
 * One request at a time, no retries, no planning, any unit id per request.
 *
 * <p>Not thread-safe: one command uses it from one thread.
 */
interface ModbusProbeLink extends AutoCloseable {

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

        /** The driver's name for this table. */
        ModbusTable modbusTable() {
            return ModbusTable.fromConfig(configName).orElseThrow();
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
                return new ModbusReadResult.DeviceException(code).fromGateway();
            }

            String describe() {
                return new ModbusReadResult.DeviceException(code).describe();
            }
        }

        /** No answer in time. */
        record Timeout(String message) implements Outcome {
        }

        /** The request failed: a broken connection or port, or a damaged answer. */
        record Failure(String message) implements Outcome {
        }

        /** The host or port cannot be reached at all: asking another unit is pointless. */
        record Unreachable(String message) implements Outcome {
        }
    }

    /** The host and port, or the serial line and its settings, for messages: "/dev/ttyUSB0 (9600 8N1 RTU)". */
    String describe();

    /** Reads {@code count} registers or bits of {@code table} from {@code address} at unit {@code unit}. */
    Outcome read(int unit, Table table, int address, int count);

    /** Idempotent. */
    @Override
    void close();
}
