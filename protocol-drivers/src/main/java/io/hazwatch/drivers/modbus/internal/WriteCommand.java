package io.hazwatch.drivers.modbus.internal;

/**
 * One write transaction (Modbus Application Protocol v1.1b, 6.5, 6.6, 6.11, 6.12). Values are
 * validated here, so a codec never sees one it cannot encode.
 */
public sealed interface WriteCommand {

    /** Modbus Application Protocol v1.1b, 6.11: quantity of outputs 1..1968. */
    int MAX_COILS = 1968;
    /** 6.12: quantity of registers 1..123. */
    int MAX_REGISTERS = 123;

    int functionCode();

    int address();

    /** Coils or registers written. */
    int quantity();

    /** "FC16 holding 100+2", for logs and reasons. */
    default String describe() {
        String table = this instanceof SingleCoil || this instanceof MultipleCoils ? "coil" : "holding";
        return "FC" + String.format("%02d", functionCode()) + " " + table + " " + address()
                + (quantity() > 1 ? "+" + quantity() : "");
    }

    /** FC05. */
    record SingleCoil(int address, boolean value) implements WriteCommand {
        public SingleCoil {
            checkRange(address, 1);
        }

        @Override
        public int functionCode() {
            return 5;
        }

        @Override
        public int quantity() {
            return 1;
        }
    }

    /** FC06; {@code value} as an unsigned 16-bit number. */
    record SingleRegister(int address, int value) implements WriteCommand {
        public SingleRegister {
            checkRange(address, 1);
            if (value < Short.MIN_VALUE || value > 0xFFFF) {
                throw new IllegalArgumentException("register value " + value + " outside -32768..65535");
            }
            value = value & 0xFFFF;
        }

        @Override
        public int functionCode() {
            return 6;
        }

        @Override
        public int quantity() {
            return 1;
        }
    }

    /** FC15. */
    record MultipleCoils(int address, boolean[] values) implements WriteCommand {
        public MultipleCoils {
            values = values.clone();
            if (values.length < 1 || values.length > MAX_COILS) {
                throw new IllegalArgumentException("FC15 writes 1.." + MAX_COILS + " coils, got " + values.length);
            }
            checkRange(address, values.length);
        }

        @Override
        public boolean[] values() {
            return values.clone();
        }

        @Override
        public int functionCode() {
            return 15;
        }

        @Override
        public int quantity() {
            return values.length;
        }
    }

    /** FC16; values as unsigned 16-bit numbers. */
    record MultipleRegisters(int address, int[] values) implements WriteCommand {
        public MultipleRegisters {
            values = values.clone();
            if (values.length < 1 || values.length > MAX_REGISTERS) {
                throw new IllegalArgumentException("FC16 writes 1.." + MAX_REGISTERS + " registers, got "
                        + values.length);
            }
            checkRange(address, values.length);
            for (int i = 0; i < values.length; i++) {
                if (values[i] < Short.MIN_VALUE || values[i] > 0xFFFF) {
                    throw new IllegalArgumentException("register value " + values[i] + " outside -32768..65535");
                }
                values[i] &= 0xFFFF;
            }
        }

        @Override
        public int[] values() {
            return values.clone();
        }

        @Override
        public int functionCode() {
            return 16;
        }

        @Override
        public int quantity() {
            return values.length;
        }
    }

    private static void checkRange(int address, int quantity) {
        if (address < 0 || address + quantity - 1 > 0xFFFF) {
            throw new IllegalArgumentException("addresses " + address + "+" + quantity + " outside 0..65535");
        }
    }
}
