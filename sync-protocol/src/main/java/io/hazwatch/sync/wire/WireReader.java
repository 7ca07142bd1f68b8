package io.hazwatch.sync.wire;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * Reads protocol primitives from a byte array slice. Every read is bounds-checked and fails with a
 * {@link ProtocolException} ({@link ErrorCode#MALFORMED_FRAME}) naming the offset; counts read from the
 * wire are checked against the bytes that remain before anything is allocated.
 */
public final class WireReader {
    /** Longest string the protocol carries (ids, point names). */
    public static final int MAX_STRING_BYTES = 1024;

    private final byte[] buf;
    private final int end;
    private int pos;

    public WireReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public WireReader(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
    }

    public int remaining() {
        return end - pos;
    }

    public int position() {
        return pos;
    }

    public int u8() {
        need(1, "u8");
        return buf[pos++] & 0xFF;
    }

    public int u16() {
        need(2, "u16");
        int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    public long u32() {
        need(4, "u32");
        long v = ((long) (buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16)
                | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    public long i64() {
        need(8, "i64");
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    public double f64() {
        return Double.longBitsToDouble(i64());
    }

    public long varlong() {
        long v = 0;
        int shift = 0;
        int start = pos;
        while (true) {
            if (pos >= end) {
                throw malformed("truncated varint at offset " + start);
            }
            byte b = buf[pos++];
            if (shift == 63 && (b & 0xFE) != 0) {
                throw malformed("varint longer than 64 bits at offset " + start);
            }
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
            shift += 7;
            if (shift > 63) {
                throw malformed("varint longer than 10 bytes at offset " + start);
            }
        }
    }

    /** A varint that must be a non-negative int no larger than {@code max}. */
    public int count(int max, String what) {
        int at = pos;
        long v = varlong();
        if (v < 0 || v > max) {
            throw malformed(what + " count " + Long.toUnsignedString(v) + " at offset " + at + " exceeds " + max);
        }
        return (int) v;
    }

    public long zigzag() {
        long v = varlong();
        return (v >>> 1) ^ -(v & 1);
    }

    public String string() {
        int at = pos;
        int len = count(MAX_STRING_BYTES, "string byte");
        // checked after the length prefix is consumed: remaining() before it would count the prefix too
        if (len > end - pos) {
            throw malformed("truncated string: " + len + " bytes declared at offset " + at + ", "
                    + (end - pos) + " left");
        }
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, pos, len)).toString();
            pos += len;
            return s;
        } catch (CharacterCodingException e) {
            throw malformed("invalid UTF-8 in string at offset " + at);
        }
    }

    /** Everything not yet read, as a copy; the reader is then at its end. */
    public byte[] rest() {
        byte[] b = java.util.Arrays.copyOfRange(buf, pos, end);
        pos = end;
        return b;
    }

    public void expectEnd(String what) {
        if (pos != end) {
            throw malformed((end - pos) + " trailing bytes after " + what + " at offset " + pos);
        }
    }

    private void need(int n, String what) {
        if (end - pos < n) {
            throw malformed("truncated " + what + " at offset " + pos);
        }
    }

    public static ProtocolException malformed(String message) {
        return new ProtocolException(ErrorCode.MALFORMED_FRAME, message);
    }
}
