package io.hazwatch.drivers.modbus.internal;

/** What one read transaction produced. */
public sealed interface ReadOutcome {

    /** Register values, unsigned 16-bit, one per requested register. */
    record Registers(int[] values) implements ReadOutcome {
        public Registers {
            values = values.clone();
        }

        @Override
        public int[] values() {
            return values.clone();
        }
    }

    /** Bit values, one per requested coil or discrete input. */
    record Bits(boolean[] values) implements ReadOutcome {
        public Bits {
            values = values.clone();
        }

        @Override
        public boolean[] values() {
            return values.clone();
        }
    }

    /** The device answered with a Modbus exception (Modbus Application Protocol v1.1b, 7). */
    record DeviceException(int code) implements ReadOutcome {

        /** Exception 2: the range contains an address the device does not have. */
        public static final int ILLEGAL_DATA_ADDRESS = 2;

        public boolean isIllegalDataAddress() {
            return code == ILLEGAL_DATA_ADDRESS;
        }

        /** "Modbus exception 2 (illegal data address)". */
        public String describe() {
            return "Modbus exception " + code + " (" + name(code) + ")";
        }

        static String name(int code) {
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

    /** No answer within the timeout; the link has been closed to drop any late answer. */
    record Timeout(String message) implements ReadOutcome {
    }

    /** The connection failed or the answer was unusable; the link has been closed. */
    record CommFailure(String message) implements ReadOutcome {
    }
}
