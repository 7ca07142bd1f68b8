package io.hazwatch.province;

import io.hazwatch.sync.model.PointValue;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The payload of a {@code reading_block} row: the readings of one (point, origin, lane) in one commit
 * group, column by column (layout byte by byte in docs/province-store.md). Every column is coded
 * against its neighbours, so a block of a steadily polled point costs a few bytes per reading:
 *
 * <ul>
 *   <li>sequence, source time, receive time: a constant, an arithmetic series, or delta-of-delta
 *       zig-zag varints, whichever the column is;</li>
 *   <li>quality and value type: one byte for the block when constant, else one byte per reading;</li>
 *   <li>doubles: XOR with the previous double, only the bytes between the leading and trailing zero
 *       bytes (a float register widened to double keeps about three);</li>
 *   <li>longs: zig-zag delta to the previous long; booleans: one byte; strings: UTF-8 with its
 *       length, or one byte when it repeats the previous string.</li>
 * </ul>
 *
 * <p>All arithmetic wraps, so every long and every double bit pattern (NaN payloads, infinities,
 * {@code -0.0}, {@code Long.MIN_VALUE}) comes back exactly. Decoding checks every length and mode and
 * refuses a payload that does not parse to the end with a {@link BlockFormatException}.
 */
final class ReadingBlockCodec {
    /** Format byte at offset 0; a future layout gets a new one and both are read. */
    static final int FORMAT_1 = 1;

    static final int VTYPE_NONE = 0;
    static final int VTYPE_DOUBLE = 1;
    static final int VTYPE_LONG = 2;
    static final int VTYPE_BOOL = 3;
    static final int VTYPE_TEXT = 4;

    static final int LONGS_CONSTANT = 0;
    static final int LONGS_STEP = 1;
    static final int LONGS_DELTA_OF_DELTA = 2;

    static final int BYTES_CONSTANT = 0;
    static final int BYTES_EACH = 1;

    /** Readings per block at most: bounds what one range query decodes to find a few readings. */
    static final int MAX_READINGS = 4096;

    private ReadingBlockCodec() {
    }

    static int typeOf(PointValue v) {
        if (v instanceof PointValue.DoubleValue) {
            return VTYPE_DOUBLE;
        }
        if (v instanceof PointValue.LongValue) {
            return VTYPE_LONG;
        }
        if (v instanceof PointValue.BoolValue) {
            return VTYPE_BOOL;
        }
        if (v instanceof PointValue.StringValue) {
            return VTYPE_TEXT;
        }
        return VTYPE_NONE;
    }

    static byte[] encode(ReadingColumns c) {
        int n = c.size();
        if (n < 1 || n > MAX_READINGS) {
            throw new IllegalArgumentException("a block holds 1.." + MAX_READINGS + " readings, got " + n);
        }
        Sink out = new Sink(16 + n * 8);
        out.put(FORMAT_1);
        out.putUnsigned(n);
        writeLongs(out, c.seqColumn(), n);
        writeLongs(out, c.tsColumn(), n);
        writeLongs(out, c.receivedColumn(), n);
        writeBytes(out, c.qualityColumn(), n);
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            types[i] = typeOf(c.value(i));
        }
        writeBytes(out, types, n);
        long lastDouble = 0;
        long lastLong = 0;
        byte[] lastText = null;
        for (int i = 0; i < n; i++) {
            PointValue v = c.value(i);
            switch (types[i]) {
                case VTYPE_DOUBLE -> {
                    long bits = Double.doubleToRawLongBits(((PointValue.DoubleValue) v).value());
                    writeXor(out, bits ^ lastDouble);
                    lastDouble = bits;
                }
                case VTYPE_LONG -> {
                    long l = ((PointValue.LongValue) v).value();
                    out.putSigned(l - lastLong);
                    lastLong = l;
                }
                case VTYPE_BOOL -> out.put(((PointValue.BoolValue) v).value() ? 1 : 0);
                case VTYPE_TEXT -> {
                    byte[] utf8 = ((PointValue.StringValue) v).value().getBytes(StandardCharsets.UTF_8);
                    if (lastText != null && Arrays.equals(utf8, lastText)) {
                        out.putUnsigned(0);
                    } else {
                        out.putUnsigned(utf8.length + 1L);
                        out.put(utf8);
                        lastText = utf8;
                    }
                }
                default -> { }
            }
        }
        return out.toArray();
    }

    static ReadingColumns decode(byte[] payload) {
        Source in = new Source(payload);
        int format = in.get();
        if (format != FORMAT_1) {
            throw new BlockFormatException("unknown block format " + format + " (this version reads " + FORMAT_1 + ")");
        }
        long count = in.getUnsigned();
        if (count < 1 || count > MAX_READINGS) {
            throw new BlockFormatException("block claims " + count + " readings, a block holds 1.." + MAX_READINGS);
        }
        int n = (int) count;
        long[] seq = readLongs(in, n, "sequence");
        long[] ts = readLongs(in, n, "time");
        long[] received = readLongs(in, n, "received");
        int[] quality = readBytes(in, n, "quality");
        int[] types = readBytes(in, n, "value type");
        ReadingColumns c = new ReadingColumns(n);
        long lastDouble = 0;
        long lastLong = 0;
        String lastText = null;
        for (int i = 0; i < n; i++) {
            PointValue v;
            switch (types[i]) {
                case VTYPE_NONE -> v = PointValue.NONE;
                case VTYPE_DOUBLE -> {
                    lastDouble ^= readXor(in);
                    v = PointValue.of(Double.longBitsToDouble(lastDouble));
                }
                case VTYPE_LONG -> {
                    lastLong += in.getSigned();
                    v = PointValue.of(lastLong);
                }
                case VTYPE_BOOL -> {
                    int b = in.get();
                    if (b > 1) {
                        throw new BlockFormatException("boolean byte " + b + " at reading " + i);
                    }
                    v = PointValue.of(b == 1);
                }
                case VTYPE_TEXT -> {
                    long len = in.getUnsigned();
                    if (len == 0) {
                        if (lastText == null) {
                            throw new BlockFormatException("reading " + i + " repeats a string but none came before");
                        }
                    } else {
                        lastText = in.getUtf8(len - 1);
                    }
                    v = PointValue.of(lastText);
                }
                default -> throw new BlockFormatException("unknown value type " + types[i] + " at reading " + i);
            }
            c.add(seq[i], ts[i], v, quality[i], received[i]);
        }
        if (in.remaining() != 0) {
            throw new BlockFormatException(in.remaining() + " bytes left over after " + n + " readings");
        }
        return c;
    }

    // ------------------------------------------------------------------ columns

    private static void writeLongs(Sink out, long[] v, int n) {
        boolean constant = true;
        boolean step = n >= 2;
        long d = n >= 2 ? v[1] - v[0] : 0;
        for (int i = 1; i < n; i++) {
            constant &= v[i] == v[0];
            step &= v[i] - v[i - 1] == d;
        }
        if (constant) {
            out.put(LONGS_CONSTANT);
            out.putSigned(v[0]);
        } else if (step) {
            out.put(LONGS_STEP);
            out.putSigned(v[0]);
            out.putSigned(d);
        } else {
            out.put(LONGS_DELTA_OF_DELTA);
            out.putSigned(v[0]);
            long prevDelta = 0;
            for (int i = 1; i < n; i++) {
                long delta = v[i] - v[i - 1];
                out.putSigned(delta - prevDelta);
                prevDelta = delta;
            }
        }
    }

    private static long[] readLongs(Source in, int n, String column) {
        long[] v = new long[n];
        int mode = in.get();
        v[0] = in.getSigned();
        switch (mode) {
            case LONGS_CONSTANT -> Arrays.fill(v, v[0]);
            case LONGS_STEP -> {
                long d = in.getSigned();
                for (int i = 1; i < n; i++) {
                    v[i] = v[i - 1] + d;
                }
            }
            case LONGS_DELTA_OF_DELTA -> {
                long delta = 0;
                for (int i = 1; i < n; i++) {
                    delta += in.getSigned();
                    v[i] = v[i - 1] + delta;
                }
            }
            default -> throw new BlockFormatException("unknown coding " + mode + " of the " + column + " column");
        }
        return v;
    }

    private static void writeBytes(Sink out, int[] v, int n) {
        boolean constant = true;
        for (int i = 1; i < n && constant; i++) {
            constant = v[i] == v[0];
        }
        if (constant) {
            out.put(BYTES_CONSTANT);
            out.put(v[0]);
        } else {
            out.put(BYTES_EACH);
            for (int i = 0; i < n; i++) {
                out.put(v[i]);
            }
        }
    }

    private static int[] readBytes(Source in, int n, String column) {
        int[] v = new int[n];
        int mode = in.get();
        switch (mode) {
            case BYTES_CONSTANT -> Arrays.fill(v, in.get());
            case BYTES_EACH -> {
                for (int i = 0; i < n; i++) {
                    v[i] = in.get();
                }
            }
            default -> throw new BlockFormatException("unknown coding " + mode + " of the " + column + " column");
        }
        return v;
    }

    /** Header 0: same bits as before; else (trailing zero bytes << 4 | significant bytes), then those bytes. */
    private static void writeXor(Sink out, long xor) {
        if (xor == 0) {
            out.put(0);
            return;
        }
        int trailing = Long.numberOfTrailingZeros(xor) >>> 3;
        int len = 8 - (Long.numberOfLeadingZeros(xor) >>> 3) - trailing;
        out.put(trailing << 4 | len);
        long v = xor >>> (trailing << 3);
        for (int s = (len - 1) << 3; s >= 0; s -= 8) {
            out.put((int) (v >>> s) & 0xFF);
        }
    }

    private static long readXor(Source in) {
        int h = in.get();
        if (h == 0) {
            return 0;
        }
        int trailing = h >>> 4;
        int len = h & 0x0F;
        if (len < 1 || trailing + len > 8) {
            throw new BlockFormatException("bad double header 0x" + Integer.toHexString(h));
        }
        long v = 0;
        for (int i = 0; i < len; i++) {
            v = v << 8 | in.get();
        }
        return v << (trailing << 3);
    }

    // ------------------------------------------------------------------ bytes

    /** A growable byte array: the writer's own, unsynchronized. */
    private static final class Sink {
        private byte[] buf;
        private int pos;

        Sink(int capacity) {
            buf = new byte[capacity];
        }

        void put(int b) {
            if (pos == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[pos++] = (byte) b;
        }

        void put(byte[] b) {
            if (pos + b.length > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + b.length));
            }
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
        }

        void putUnsigned(long v) {
            while ((v & ~0x7FL) != 0) {
                put((int) (v & 0x7F) | 0x80);
                v >>>= 7;
            }
            put((int) v);
        }

        void putSigned(long v) {
            putUnsigned(v << 1 ^ v >> 63);
        }

        byte[] toArray() {
            return Arrays.copyOf(buf, pos);
        }
    }

    /** Reads a payload, refusing to run past its end. */
    private static final class Source {
        private final byte[] buf;
        private int pos;

        Source(byte[] buf) {
            this.buf = buf;
        }

        int get() {
            if (pos >= buf.length) {
                throw new BlockFormatException("block ends early at byte " + pos);
            }
            return buf[pos++] & 0xFF;
        }

        long getUnsigned() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = get();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new BlockFormatException("varint longer than 10 bytes before byte " + pos);
        }

        long getSigned() {
            long u = getUnsigned();
            return u >>> 1 ^ -(u & 1);
        }

        String getUtf8(long len) {
            if (len > buf.length - pos) {
                throw new BlockFormatException("string of " + len + " bytes at byte " + pos + " runs past the block end "
                        + buf.length);
            }
            String s = new String(buf, pos, (int) len, StandardCharsets.UTF_8);
            pos += (int) len;
            return s;
        }

        int remaining() {
            return buf.length - pos;
        }
    }
}
