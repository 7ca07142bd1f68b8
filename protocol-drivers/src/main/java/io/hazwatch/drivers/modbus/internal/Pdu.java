package io.hazwatch.drivers.modbus.internal;

import io.hazwatch.drivers.modbus.ModbusTable;

/**
 * The protocol data units a master sends on a serial line and the answers it expects (Modbus
 * Application Protocol v1.1b, 6.1-6.6, 6.11, 6.12 and 7). Stateless; framing (address, CRC or LRC) is
 * the business of {@link RtuFraming} and {@link AsciiFraming}. A PDU starts with its function code.
 */
public final class Pdu {

    /** Modbus Application Protocol v1.1b, 4.1: a PDU is at most 253 bytes. */
    public static final int MAX_LENGTH = 253;
    private static final int EXCEPTION_FLAG = 0x80;

    private Pdu() {
    }

    /** FC01-FC04: function, starting address, quantity (6.1-6.4). */
    public static byte[] readRequest(ModbusTable table, int start, int quantity) {
        int limit = table.isRegisterTable() ? ModbusTable.MAX_REGISTERS_PER_READ : ModbusTable.MAX_BITS_PER_READ;
        if (quantity < 1 || quantity > limit || start < 0 || start + quantity - 1 > 0xFFFF) {
            throw new IllegalArgumentException("cannot read " + table.configName() + " " + start + "+" + quantity);
        }
        return new byte[]{(byte) table.functionCode(), hi(start), lo(start), hi(quantity), lo(quantity)};
    }

    /** FC05, FC06, FC15, FC16 (6.5, 6.6, 6.11, 6.12). */
    public static byte[] writeRequest(WriteCommand command) {
        int a = command.address();
        if (command instanceof WriteCommand.SingleCoil c) {
            // 6.5: 0xFF00 sets the coil, 0x0000 clears it
            return new byte[]{5, hi(a), lo(a), (byte) (c.value() ? 0xFF : 0x00), 0};
        }
        if (command instanceof WriteCommand.SingleRegister r) {
            return new byte[]{6, hi(a), lo(a), hi(r.value()), lo(r.value())};
        }
        if (command instanceof WriteCommand.MultipleCoils c) {
            boolean[] values = c.values();
            int byteCount = (values.length + 7) / 8;
            byte[] pdu = new byte[6 + byteCount];
            pdu[0] = 15;
            pdu[1] = hi(a);
            pdu[2] = lo(a);
            pdu[3] = hi(values.length);
            pdu[4] = lo(values.length);
            pdu[5] = (byte) byteCount;
            for (int i = 0; i < values.length; i++) {
                if (values[i]) {
                    pdu[6 + i / 8] |= (byte) (1 << (i % 8)); // 6.11: the first coil is the LSB of the first byte
                }
            }
            return pdu;
        }
        int[] values = ((WriteCommand.MultipleRegisters) command).values();
        byte[] pdu = new byte[6 + 2 * values.length];
        pdu[0] = 16;
        pdu[1] = hi(a);
        pdu[2] = lo(a);
        pdu[3] = hi(values.length);
        pdu[4] = lo(values.length);
        pdu[5] = (byte) (2 * values.length);
        for (int i = 0; i < values.length; i++) {
            pdu[6 + 2 * i] = hi(values[i]);
            pdu[7 + 2 * i] = lo(values[i]);
        }
        return pdu;
    }

    /**
     * The length of an answer PDU to function {@code functionCode} once its first {@code have} bytes are
     * known: {@link #NEED_MORE} until the byte count of a read answer has arrived, {@link #UNKNOWN} for a
     * function code this master never sends.
     */
    public static int answerLength(byte[] pdu, int offset, int have) {
        if (have < 1) {
            return NEED_MORE;
        }
        int fc = pdu[offset] & 0xFF;
        if ((fc & EXCEPTION_FLAG) != 0) {
            return 2; // 7: function | 0x80, exception code
        }
        switch (fc) {
            case 1, 2, 3, 4:
                return have < 2 ? NEED_MORE : 2 + (pdu[offset + 1] & 0xFF); // 6.1-6.4: byte count, data
            case 5, 6, 15, 16:
                return 5; // 6.5, 6.6, 6.11, 6.12: echo of address and value or quantity
            default:
                return UNKNOWN;
        }
    }

    /** {@link #answerLength}: the length is not known yet. */
    public static final int NEED_MORE = -1;
    /** {@link #answerLength}: a function code this master never asked for. */
    public static final int UNKNOWN = -2;

    /** Decodes the answer to a read of {@code quantity} items of {@code table}. */
    public static ReadOutcome readAnswer(byte[] pdu, ModbusTable table, int quantity) {
        int fc = pdu[0] & 0xFF;
        if (fc == (table.functionCode() | EXCEPTION_FLAG) && pdu.length == 2) {
            return new ReadOutcome.DeviceException(pdu[1] & 0xFF);
        }
        if (fc != table.functionCode()) {
            return new ReadOutcome.Garbled("answer with function code " + fc + " to a request with "
                    + table.functionCode());
        }
        int byteCount = pdu[1] & 0xFF;
        int expected = table.isRegisterTable() ? 2 * quantity : (quantity + 7) / 8;
        if (byteCount != expected || pdu.length != 2 + byteCount) {
            return new ReadOutcome.CommFailure("answer carries " + byteCount + " data bytes, " + expected
                    + " expected for " + quantity + (table.isRegisterTable() ? " registers" : " bits"));
        }
        if (table.isRegisterTable()) {
            int[] values = new int[quantity];
            for (int i = 0; i < quantity; i++) {
                values[i] = ((pdu[2 + 2 * i] & 0xFF) << 8) | (pdu[3 + 2 * i] & 0xFF);
            }
            return new ReadOutcome.Registers(values);
        }
        boolean[] bits = new boolean[quantity];
        for (int i = 0; i < quantity; i++) {
            bits[i] = ((pdu[2 + i / 8] >> (i % 8)) & 1) == 1; // 6.1: LSB of the first byte is the first bit
        }
        return new ReadOutcome.Bits(bits);
    }

    /** Checks the answer to {@code command}: an echo of address and value or quantity (6.5, 6.6, 6.11, 6.12). */
    public static WriteOutcome writeAnswer(byte[] pdu, WriteCommand command) {
        int fc = pdu[0] & 0xFF;
        if (fc == (command.functionCode() | EXCEPTION_FLAG) && pdu.length == 2) {
            return new ReadOutcome.DeviceException(pdu[1] & 0xFF);
        }
        if (fc != command.functionCode() || pdu.length != 5) {
            return new ReadOutcome.Garbled("answer with function code " + fc + " and " + pdu.length
                    + " bytes to " + command.describe());
        }
        byte[] request = writeRequest(command);
        for (int i = 1; i < 5; i++) {
            if (pdu[i] != request[i]) {
                return new ReadOutcome.CommFailure("the device's echo does not match " + command.describe());
            }
        }
        return new WriteOutcome.Written();
    }

    private static byte hi(int value) {
        return (byte) (value >>> 8);
    }

    private static byte lo(int value) {
        return (byte) value;
    }
}
