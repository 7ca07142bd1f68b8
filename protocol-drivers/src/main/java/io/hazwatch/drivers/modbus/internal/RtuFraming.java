package io.hazwatch.drivers.modbus.internal;

import java.io.IOException;

/**
 * RTU framing (Modbus over Serial Line v1.02, 2.5.1): address, PDU, CRC-16 low byte first; at most
 * 256 bytes. There is no delimiter: the end of an answer is found from its function code and byte
 * count (Modbus Application Protocol v1.1b, 6), then the CRC is checked. The 3.5-character silence
 * between frames is kept by {@link SerialBus}; the 1.5-character limit inside a frame is not enforced,
 * because USB adapters and ptys deliver bytes in bursts and the CRC catches a frame that was cut.
 *
 * <p>After a damaged or foreign frame, input is drained until the line has been silent for the
 * inter-frame time, so the next request starts in step.
 */
public final class RtuFraming implements Framing {

    /** Modbus over Serial Line v1.02, 2.5.1: an RTU frame is at most 256 bytes. */
    public static final int MAX_FRAME = 256;

    private final long silenceNanos;
    private long lastByteNanos;

    /** @param silenceNanos the inter-frame time, used to resynchronise after a bad frame */
    public RtuFraming(long silenceNanos) {
        this.silenceNanos = Math.max(silenceNanos, 1_000_000L);
    }

    @Override
    public byte[] encode(int unit, byte[] pdu) {
        byte[] frame = new byte[pdu.length + 3];
        frame[0] = (byte) unit;
        System.arraycopy(pdu, 0, frame, 1, pdu.length);
        int crc = Crc16.of(frame, 0, pdu.length + 1);
        frame[pdu.length + 1] = (byte) crc; // 2.5.1.2: low byte first
        frame[pdu.length + 2] = (byte) (crc >>> 8);
        return frame;
    }

    @Override
    public long lastByteNanos() {
        return lastByteNanos;
    }

    @Override
    public Exchange readAnswer(ByteStream in, int unit, int functionCode, long deadlineNanos) throws IOException {
        byte[] frame = new byte[MAX_FRAME];
        int have = 0;
        int need = 2; // address and function code
        while (have < need) {
            int n = in.read(frame, have, need - have, deadlineNanos);
            if (n == 0) {
                if (have == 0) {
                    return new ReadOutcome.Timeout("no answer");
                }
                return new ReadOutcome.Garbled("frame cut short: " + have + " of " + need + " bytes");
            }
            have += n;
            lastByteNanos = System.nanoTime();
            if ((frame[0] & 0xFF) != unit) {
                drain(in, deadlineNanos);
                return new ReadOutcome.Garbled("answer from unit " + (frame[0] & 0xFF) + ", expected " + unit);
            }
            if (have >= 2 && ((frame[1] & 0x7F) != functionCode)) {
                drain(in, deadlineNanos);
                return new ReadOutcome.Garbled("answer with function code " + (frame[1] & 0xFF) + " to a request with "
                        + functionCode);
            }
            if (have >= 2) {
                int pduLength = Pdu.answerLength(frame, 1, have - 1);
                if (pduLength == Pdu.UNKNOWN) {
                    drain(in, deadlineNanos);
                    return new ReadOutcome.Garbled("answer with unknown function code " + (frame[1] & 0xFF));
                }
                need = pduLength == Pdu.NEED_MORE ? 3 : 1 + pduLength + 2;
                if (need > MAX_FRAME) {
                    drain(in, deadlineNanos);
                    return new ReadOutcome.Garbled("answer announces " + need + " bytes, more than an RTU frame holds");
                }
            }
        }
        if (!Crc16.matches(frame, have)) {
            drain(in, deadlineNanos);
            int crc = Crc16.of(frame, 0, have - 2);
            return new ReadOutcome.Garbled(String.format("CRC error: frame carries %02X%02X, computed %02X%02X",
                    frame[have - 2], frame[have - 1], crc & 0xFF, crc >>> 8));
        }
        byte[] pdu = new byte[have - 3];
        System.arraycopy(frame, 1, pdu, 0, pdu.length);
        return new Exchange.Reply(pdu);
    }

    /** Reads and drops bytes until the line is silent for the inter-frame time (or the deadline passes). */
    private void drain(ByteStream in, long deadlineNanos) throws IOException {
        byte[] sink = new byte[MAX_FRAME];
        while (true) {
            int n = in.read(sink, 0, sink.length, System.nanoTime() + silenceNanos);
            if (n == 0) {
                return;
            }
            lastByteNanos = System.nanoTime();
            if (lastByteNanos - deadlineNanos > 10 * silenceNanos + 1_000_000_000L) {
                return; // a line that never falls silent: give up, the next request drains again
            }
        }
    }
}
