package io.hazwatch.drivers.modbus;

import java.util.Objects;

/**
 * What one raw read ({@link ModbusReader}) brought back: the values, the device's exception, or why
 * nothing usable came back.
 */
public sealed interface ModbusReadResult {

    /** Register values, unsigned 16-bit, one per register asked for. */
    record Registers(int[] values) implements ModbusReadResult {
        public Registers {
            values = values.clone();
        }

        @Override
        public int[] values() {
            return values.clone();
        }
    }

    /** Coils or discrete inputs, one per bit asked for. */
    record Bits(boolean[] values) implements ModbusReadResult {
        public Bits {
            values = values.clone();
        }

        @Override
        public boolean[] values() {
            return values.clone();
        }
    }

    /** The unit answered with a Modbus exception (Modbus Application Protocol v1.1b, 7): it exists. */
    record DeviceException(int code) implements ModbusReadResult {

        /**
         * Exceptions 10 (gateway path unavailable) and 11 (gateway target device failed to respond) come
         * from a gateway, not from the unit: the unit behind it did not answer.
         */
        public boolean fromGateway() {
            return code == 10 || code == 11;
        }

        /** "Modbus exception 2 (illegal data address)". */
        public String describe() {
            return "Modbus exception " + code + " (" + name(code) + ")";
        }

        /** The name Modbus Application Protocol v1.1b, 7 gives exception {@code code}. */
        public static String name(int code) {
            return switch (code) {
                case 1 -> "illegal function";
                case 2 -> "illegal data address";
                case 3 -> "illegal data value";
                case 4 -> "server device failure";
                case 5 -> "acknowledge";
                case 6 -> "server device busy";
                case 8 -> "memory parity error";
                case 10 -> "gateway path unavailable";
                case 11 -> "gateway target device failed to respond";
                default -> "unknown exception code";
            };
        }
    }

    /** No answer within the driver's {@code timeoutMs}: on a serial line, nobody has that unit id. */
    record Timeout(String message) implements ModbusReadResult {
        public Timeout {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * An answer arrived but was damaged (a CRC or LRC that does not match, a frame cut short): something
     * is on the line, perhaps at another baud rate or parity.
     */
    record Damaged(String message) implements ModbusReadResult {
        public Damaged {
            Objects.requireNonNull(message, "message");
        }
    }

    /** The connection or port failed during the transaction, or the answer made no sense. */
    record LinkFailure(String message) implements ModbusReadResult {
        public LinkFailure {
            Objects.requireNonNull(message, "message");
        }
    }

    /** The connection could not be made, or the port opened: no unit can answer. */
    record Unreachable(String message) implements ModbusReadResult {
        public Unreachable {
            Objects.requireNonNull(message, "message");
        }
    }
}
