package io.hazwatch.drivers.modbus.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;

/**
 * A {@link ByteStream} that hands out scripted bursts of bytes, one burst per read at most, and answers
 * "nothing before the deadline" at once when the script is used up: framing tests without ports or
 * waiting.
 */
final class ScriptedStream implements ByteStream {

    private final Deque<byte[]> bursts = new ArrayDeque<>();
    final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private byte[] current = new byte[0];
    private int position;
    int reads;

    /** Queues bytes given as hex ("01 03 02 00 2A ..."), arriving as one burst. */
    ScriptedStream burst(String hex) {
        bursts.add(HexFormat.ofDelimiter(" ").parseHex(hex));
        return this;
    }

    ScriptedStream burst(byte[] bytes) {
        bursts.add(bytes.clone());
        return this;
    }

    @Override
    public void open() {
        // always open
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void write(byte[] bytes) {
        written.writeBytes(bytes);
    }

    @Override
    public int read(byte[] buffer, int offset, int length, long deadlineNanos) {
        reads++;
        if (position == current.length) {
            if (bursts.isEmpty()) {
                return 0;
            }
            current = bursts.poll();
            position = 0;
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current, position, buffer, offset, n);
        position += n;
        return n;
    }

    @Override
    public int discardInput() throws IOException {
        int dropped = current.length - position;
        position = current.length;
        while (!bursts.isEmpty()) {
            dropped += bursts.poll().length;
        }
        return dropped;
    }

    /** Bytes still unread. */
    int left() {
        int n = current.length - position;
        for (byte[] b : bursts) {
            n += b.length;
        }
        return n;
    }

    @Override
    public void close() {
        // nothing to release
    }

    @Override
    public String describe() {
        return "script";
    }
}
