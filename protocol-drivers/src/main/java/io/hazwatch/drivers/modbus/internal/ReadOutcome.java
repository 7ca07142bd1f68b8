package io.hazwatch.drivers.modbus.internal;

/**
 * What one read transaction produced. The failures ({@link DeviceException}, {@link Timeout},
 * {@link CommFailure}, {@link Garbled}) are also {@link WriteOutcome}s.
 */
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
    record DeviceException(int code) implements ReadOutcome, WriteOutcome {

        /** Exception 2: the range contains an address the device does not have. */
        public static final int ILLEGAL_DATA_ADDRESS = 2;
        /** Exception 3: a value in the request, such as the quantity, is not acceptable to the device. */
        public static final int ILLEGAL_DATA_VALUE = 3;

        public boolean isIllegalDataAddress() {
            return code == ILLEGAL_DATA_ADDRESS;
        }

        public boolean isIllegalDataValue() {
            return code == ILLEGAL_DATA_VALUE;
        }

        /** "Modbus exception 2 (illegal data address)". */
        public String describe() {
            return "Modbus exception " + code + " (" + name(code) + ")";
        }

        static String name(int code) {
            return io.hazwatch.drivers.modbus.ModbusReadResult.DeviceException.name(code);
        }
    }

    /**
     * No answer within the timeout. A TCP link has been closed to drop any late answer; a serial line
     * stays open and discards what arrives before its next request.
     */
    record Timeout(String message) implements ReadOutcome, WriteOutcome, Exchange.LinkFailure {
    }

    /** The connection or port failed, or the answer made no sense; the link has been closed. */
    record CommFailure(String message) implements ReadOutcome, WriteOutcome, Exchange.LinkFailure {
    }

    /**
     * An answer arrived but was damaged: a CRC (RTU) or LRC (ASCII) that does not match, or a frame cut
     * short. The line stays open: the next transaction may well succeed.
     */
    record Garbled(String message) implements ReadOutcome, WriteOutcome, Exchange.LinkFailure {
    }
}
