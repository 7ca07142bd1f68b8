package io.hazwatch.sync.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Appends protocol primitives to a growable byte array. Big-endian fixed widths, LEB128 varints. */
public final class WireWriter {
    private byte[] buf;
    private int pos;

    public WireWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    public int size() {
        return pos;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    /** The internal buffer; valid up to {@link #size()}. */
    public byte[] array() {
        return buf;
    }

    public void reset() {
        pos = 0;
    }

    public WireWriter u8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
        return this;
    }

    public WireWriter u16(int v) {
        ensure(2);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
        return this;
    }

    public WireWriter u32(long v) {
        ensure(4);
        buf[pos++] = (byte) (v >>> 24);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
        return this;
    }

    public WireWriter i64(long v) {
        ensure(8);
        for (int s = 56; s >= 0; s -= 8) {
            buf[pos++] = (byte) (v >>> s);
        }
        return this;
    }

    public WireWriter f64(double v) {
        return i64(Double.doubleToRawLongBits(v));
    }

    /** Unsigned LEB128 of a long taken as unsigned (at most 10 bytes). */
    public WireWriter varlong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
        return this;
    }

    /** Zig-zag then LEB128, for signed values near zero. */
    public WireWriter zigzag(long v) {
        return varlong((v << 1) ^ (v >> 63));
    }

    public WireWriter string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > WireReader.MAX_STRING_BYTES) {
            throw new IllegalArgumentException("string longer than " + WireReader.MAX_STRING_BYTES + " bytes");
        }
        varlong(b.length);
        bytes(b, 0, b.length);
        return this;
    }

    public WireWriter bytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
        return this;
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }
}
