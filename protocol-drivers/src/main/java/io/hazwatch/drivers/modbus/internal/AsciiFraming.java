package io.hazwatch.drivers.modbus.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * ASCII framing (Modbus over Serial Line v1.02, 2.5.2): {@code ':'}, address, PDU and LRC as pairs of
 * upper-case hex digits, then CR LF; at most 513 characters. Characters before the colon are dropped
 * (2.5.2.1: a colon always starts a new frame).
 */
public final class AsciiFraming implements Framing {

    /** Modbus over Serial Line v1.02, 2.5.2.1: an ASCII frame is at most 513 characters. */
    public static final int MAX_FRAME = 513;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private long lastByteNanos;

    @Override
    public byte[] encode(int unit, byte[] pdu) {
        byte[] binary = new byte[pdu.length + 2];
        binary[0] = (byte) unit;
        System.arraycopy(pdu, 0, binary, 1, pdu.length);
        binary[binary.length - 1] = (byte) Lrc.of(binary, 0, binary.length - 1);
        byte[] frame = new byte[1 + 2 * binary.length + 2];
        frame[0] = ':';
        for (int i = 0; i < binary.length; i++) {
            frame[1 + 2 * i] = HEX[(binary[i] >> 4) & 0x0F];
            frame[2 + 2 * i] = HEX[binary[i] & 0x0F];
        }
        frame[frame.length - 2] = '\r';
        frame[frame.length - 1] = '\n';
        return frame;
    }

    @Override
    public long lastByteNanos() {
        return lastByteNanos;
    }

    @Override
    public Exchange readAnswer(ByteStream in, int unit, int functionCode, long deadlineNanos) throws IOException {
        byte[] buffer = new byte[MAX_FRAME];
        int have = 0;
        int start = -1;
        while (true) {
            if (have == buffer.length) {
                return new ReadOutcome.Garbled("no end of frame within " + MAX_FRAME + " characters");
            }
            int n = in.read(buffer, have, buffer.length - have, deadlineNanos);
            if (n == 0) {
                return start < 0 ? new ReadOutcome.Timeout("no answer")
                        : new ReadOutcome.Garbled("frame cut short after " + (have - start) + " characters");
            }
            lastByteNanos = System.nanoTime();
            for (int i = have; i < have + n; i++) {
                if (buffer[i] == ':') {
                    start = i; // a colon restarts the frame
                } else if (buffer[i] == '\n' && start >= 0) {
                    return decode(buffer, start, i + 1, unit, functionCode);
                }
            }
            have += n;
            if (start < 0) {
                have = 0; // nothing of a frame yet: drop the noise
            }
        }
    }

    private static Exchange decode(byte[] buffer, int start, int end, int unit, int functionCode) {
        // ':' + 2n hex digits + CR LF
        int digits = end - start - 3;
        if (digits < 6 || digits % 2 != 0 || buffer[end - 2] != '\r') {
            return new ReadOutcome.Garbled("malformed ASCII frame of " + (end - start) + " characters");
        }
        byte[] binary = new byte[digits / 2];
        for (int i = 0; i < binary.length; i++) {
            int hi = Character.digit(buffer[start + 1 + 2 * i], 16);
            int lo = Character.digit(buffer[start + 2 + 2 * i], 16);
            if (hi < 0 || lo < 0) {
                return new ReadOutcome.Garbled("non-hex character in ASCII frame");
            }
            binary[i] = (byte) ((hi << 4) | lo);
        }
        int lrc = Lrc.of(binary, 0, binary.length - 1);
        if ((binary[binary.length - 1] & 0xFF) != lrc) {
            return new ReadOutcome.Garbled(String.format("LRC error: frame carries %02X, computed %02X",
                    binary[binary.length - 1], lrc));
        }
        if ((binary[0] & 0xFF) != unit) {
            return new ReadOutcome.Garbled("answer from unit " + (binary[0] & 0xFF) + ", expected " + unit);
        }
        if ((binary[1] & 0x7F) != functionCode) {
            return new ReadOutcome.Garbled("answer with function code " + (binary[1] & 0xFF) + " to a request with "
                    + functionCode);
        }
        byte[] pdu = new byte[binary.length - 2];
        System.arraycopy(binary, 1, pdu, 0, pdu.length);
        int expected = Pdu.answerLength(pdu, 0, pdu.length);
        if (expected != pdu.length) {
            return new ReadOutcome.Garbled("answer PDU of " + pdu.length + " bytes, expected " + expected);
        }
        return new Exchange.Reply(pdu);
    }
}
