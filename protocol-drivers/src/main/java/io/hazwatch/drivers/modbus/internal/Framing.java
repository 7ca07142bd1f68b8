package io.hazwatch.drivers.modbus.internal;

import java.io.IOException;

/**
 * How PDUs travel on a serial line: RTU or ASCII frames. Not thread-safe: one instance per line, used
 * by that line's thread.
 */
public interface Framing {

    /** The frame that carries {@code pdu} to {@code unit}. */
    byte[] encode(int unit, byte[] pdu);

    /**
     * Reads the answer of {@code unit} to a request with {@code functionCode} from {@code in}, waiting
     * until {@code deadlineNanos} at most for it to start and complete.
     *
     * @return the answer, or the {@link Exchange.LinkFailure} that says why there is none
     * @throws IOException if the stream failed (the caller closes it)
     */
    Exchange readAnswer(ByteStream in, int unit, int functionCode, long deadlineNanos) throws IOException;

    /** When the last byte seen by {@link #readAnswer} arrived, in {@link System#nanoTime()} terms; 0 if none yet. */
    long lastByteNanos();
}
