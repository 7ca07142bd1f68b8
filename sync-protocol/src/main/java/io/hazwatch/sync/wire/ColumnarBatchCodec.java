package io.hazwatch.sync.wire;

import com.github.luben.zstd.Zstd;
import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointInfo;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.Rollup;
import io.hazwatch.sync.model.SyncRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;

/**
 * The compact batch of protocol version 2 (frame type {@code BATCH_V2}, docs/sync-protocol.md section
 * "Compact batches"): records grouped by (origin, lane, kind, point); within a group sequence numbers
 * and timestamps as delta-of-delta, quality and value types run-length coded, doubles either as
 * scaled decimals (delta of the integer mantissa) or XOR-coded against the previous value, longs as
 * deltas; origins and point names from the connection's {@link StringDictionary}, so a name travels
 * once per connection; the whole body then optionally LZ4- or zstd-compressed.
 *
 * <p>Exact: decoding returns every record bit for bit (doubles included), in group order.
 */
public final class ColumnarBatchCodec {
    static final int KIND_READING = 1;
    static final int KIND_ALARM = 2;
    static final int KIND_ROLLUP = 3;
    static final int KIND_POINT_INFO = 4;
    static final int MODE_XOR = 0;
    /** Every double of the group is a float32 widened (the common case of a Modbus float register). */
    static final int MODE_FLOAT_XOR = 8;
    /** XOR header of a value equal to the previous one; real headers are (leading << 4 | trailing) <= 0x77. */
    static final int XOR_SAME = 0xFF;
    private static final double[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};
    private static final LZ4Factory LZ4 = LZ4Factory.fastestJavaInstance();

    private ColumnarBatchCodec() {
    }

    // ------------------------------------------------------------------ encode

    /** Appends a whole BATCH_V2 frame body (type byte included) to {@code out}. */
    static void encode(Frame.Batch batch, StringDictionary dict, Compression compression, WireWriter out) {
        WireWriter body = new WireWriter(64 + batch.records().size() * 4);
        List<String> defs = new ArrayList<>();
        List<StringDictionary.Key> keyDefs = new ArrayList<>();
        // groups in lane priority (alarms first, as the batch was filled), then in key order
        java.util.TreeMap<Long, List<SyncRecord>> groups = new java.util.TreeMap<>();
        for (SyncRecord r : batch.records()) {
            int origin = idFor(r.origin(), dict, defs);
            int point = idFor(r.payload().point(), dict, defs);
            int kind = r.payload() instanceof Reading ? KIND_READING
                    : r.payload() instanceof Rollup ? KIND_ROLLUP
                    : r.payload() instanceof PointInfo ? KIND_POINT_INFO : KIND_ALARM;
            StringDictionary.Key k = new StringDictionary.Key(origin, r.lane().code(), kind, point);
            int keyId = dict.keyIdOf(k);
            if (keyId < 0) {
                keyId = dict.defineKey(k);
                keyDefs.add(k);
            }
            groups.computeIfAbsent(((long) r.lane().priority() << 32) | keyId, x -> new ArrayList<>()).add(r);
        }
        body.varlong(defs.size());
        for (String s : defs) {
            body.string(s);
        }
        body.varlong(keyDefs.size());
        for (StringDictionary.Key k : keyDefs) {
            body.varlong(k.origin()).u8(k.lane()).u8(k.kind()).varlong(k.point());
        }
        body.varlong(groups.size());
        int prevKey = -1;
        for (Map.Entry<Long, List<SyncRecord>> e : groups.entrySet()) {
            int keyId = (int) (e.getKey() & 0xFFFFFFFFL);
            StringDictionary.KeyState st = dict.key(keyId);
            List<SyncRecord> rs = e.getValue();
            body.zigzag(keyId - prevKey - 1L); // within a lane groups go in key order: usually 0
            prevKey = keyId;
            int flags = rs.size() == 1 ? FLAG_SINGLE : 0;
            int[] q = null;
            int[] t = null;
            if (st.key.kind() == KIND_READING) {
                q = new int[rs.size()];
                t = new int[rs.size()];
                for (int i = 0; i < rs.size(); i++) {
                    Reading rd = (Reading) rs.get(i).payload();
                    q[i] = rd.quality();
                    t[i] = typeOf(rd.value());
                }
                if (allEqual(q, st.lastQuality)) {
                    flags |= FLAG_SAME_QUALITY;
                }
                if (allEqual(t, st.lastType)) {
                    flags |= FLAG_SAME_TYPE;
                }
            }
            body.u8(flags);
            if ((flags & FLAG_SINGLE) == 0) {
                body.varlong(rs.size());
            }
            long[] seqs = new long[rs.size()];
            long[] ts = new long[rs.size()];
            for (int i = 0; i < rs.size(); i++) {
                seqs[i] = rs.get(i).seq();
                ts[i] = rs.get(i).payload().timestampMillis();
            }
            long[] seqState = writePredicted(body, seqs, st.lastSeq, st.seqStep);
            st.lastSeq = seqState[0];
            st.seqStep = seqState[1];
            long[] tsState = writePredicted(body, ts, st.lastTs, st.tsStep);
            st.lastTs = tsState[0];
            st.tsStep = tsState[1];
            if (st.key.kind() == KIND_READING) {
                writeReadings(body, rs, q, t, flags, st);
            } else if (st.key.kind() == KIND_ROLLUP) {
                writeRollups(body, rs, st);
            } else if (st.key.kind() == KIND_POINT_INFO) {
                // a catalogue entry per point and publication: few, and mostly text, so record by record
                for (SyncRecord r : rs) {
                    FrameCodec.writePointInfoBody(body, (PointInfo) r.payload());
                }
            } else {
                for (SyncRecord r : rs) {
                    AlarmEvent a = (AlarmEvent) r.payload();
                    body.u8(a.limit().code()).u8(a.level()).u8(a.raised() ? 1 : 0).f64(a.value()).f64(a.threshold());
                }
            }
        }
        out.u8(Frame.FrameType.BATCH_V2).varlong(batch.batchId()).u8(compression.code()).varlong(body.size());
        switch (compression) {
            case NONE -> out.bytes(body.array(), 0, body.size());
            case LZ4 -> {
                byte[] c = LZ4.fastCompressor().compress(body.toByteArray());
                out.bytes(c, 0, c.length);
            }
            case ZSTD -> {
                byte[] c = Zstd.compress(body.toByteArray(), 3);
                out.bytes(c, 0, c.length);
            }
            default -> throw new IllegalArgumentException("compression " + compression);
        }
    }

    static final int FLAG_SINGLE = 1;
    static final int FLAG_SAME_QUALITY = 2;
    static final int FLAG_SAME_TYPE = 4;

    private static boolean allEqual(int[] v, int to) {
        for (int x : v) {
            if (x != to) {
                return false;
            }
        }
        return true;
    }

    private static int typeOf(PointValue v) {
        if (v instanceof PointValue.DoubleValue) {
            return FrameCodec.V_DOUBLE;
        } else if (v instanceof PointValue.LongValue) {
            return FrameCodec.V_LONG;
        } else if (v instanceof PointValue.BoolValue) {
            return FrameCodec.V_BOOL;
        } else if (v instanceof PointValue.StringValue) {
            return FrameCodec.V_STRING;
        }
        return FrameCodec.V_NONE;
    }

    /**
     * Each value against a prediction: the first against the key's last value plus its last step,
     * the next ones against the previous value plus the previous step (delta of delta). Returns the
     * new last value and step.
     */
    private static long[] writePredicted(WireWriter w, long[] v, long last, long step) {
        long prev = last;
        long prevDelta = step;
        for (long x : v) {
            long d = x - prev;
            w.zigzag(d - prevDelta);
            prevDelta = d;
            prev = x;
        }
        return new long[] {prev, prevDelta};
    }

    private static long[] readPredicted(WireReader r, int n, long last, long step, long[] out) {
        long prev = last;
        long prevDelta = step;
        for (int i = 0; i < n; i++) {
            long d = prevDelta + r.zigzag();
            prev = prev + d;
            prevDelta = d;
            out[i] = prev;
        }
        return new long[] {prev, prevDelta};
    }

    private static int idFor(String s, StringDictionary dict, List<String> defs) {
        int id = dict.idOf(s);
        if (id < 0) {
            id = dict.define(s);
            defs.add(s);
        }
        return id;
    }


    private static void writeReadings(WireWriter w, List<SyncRecord> rs, int[] q, int[] t, int flags,
                                      StringDictionary.KeyState st) {
        int n = rs.size();
        List<Double> doubles = new ArrayList<>();
        List<Long> longs = new ArrayList<>();
        for (SyncRecord r : rs) {
            PointValue v = ((Reading) r.payload()).value();
            if (v instanceof PointValue.DoubleValue d) {
                doubles.add(d.value());
            } else if (v instanceof PointValue.LongValue l) {
                longs.add(l.value());
            }
        }
        if ((flags & FLAG_SAME_QUALITY) == 0) {
            writeRuns(w, q);
        }
        if ((flags & FLAG_SAME_TYPE) == 0) {
            writeRuns(w, t);
        }
        if (!doubles.isEmpty()) {
            st.lastDoubleBits = writeDoubles(w, doubles, st.lastDoubleBits);
        }
        long prev = st.lastLong;
        for (long l : longs) {
            w.zigzag(l - prev);
            prev = l;
        }
        st.lastLong = prev;
        for (int i = 0; i < n; i++) {
            PointValue v = ((Reading) rs.get(i).payload()).value();
            if (v instanceof PointValue.BoolValue b) {
                w.u8(b.value() ? 1 : 0);
            } else if (v instanceof PointValue.StringValue s) {
                w.string(s.value());
            }
        }
        st.lastQuality = q[n - 1];
        st.lastType = t[n - 1];
        if (!allEqual(q, q[n - 1])) {
            st.lastQuality = -1;
        }
        if (!allEqual(t, t[n - 1])) {
            st.lastType = -1;
        }
    }

    /**
     * Rollups are few (one per point and minute), so they are coded record by record: count, worst and
     * last quality, the last reading's offset into the minute; then min, max and last of every record
     * as one run of doubles against the key's last double, then the means as another run against the
     * group's final {@code last} (a mean is rarely a short decimal, so it would spoil the others' mode).
     */
    private static void writeRollups(WireWriter w, List<SyncRecord> rs, StringDictionary.KeyState st) {
        List<Double> values = new ArrayList<>(rs.size() * 3);
        List<Double> means = new ArrayList<>(rs.size());
        for (SyncRecord r : rs) {
            Rollup ru = (Rollup) r.payload();
            w.varlong(ru.count()).u8(ru.worstQuality()).u8(ru.lastQuality())
                    .varlong(ru.lastTimestampMillis() - ru.minuteStartMillis());
            values.add(ru.min());
            values.add(ru.max());
            values.add(ru.last());
            means.add(ru.mean());
        }
        st.lastDoubleBits = writeDoubles(w, values, st.lastDoubleBits);
        writeDoubles(w, means, st.lastDoubleBits);
    }

    private static void readRollups(WireReader b, int n, String origin, Lane lane, String point, long[] seqs,
                                    long[] ts, StringDictionary.KeyState st, List<SyncRecord> out) {
        long[] counts = new long[n];
        int[] worst = new int[n];
        int[] lastQ = new int[n];
        long[] offsets = new long[n];
        for (int i = 0; i < n; i++) {
            counts[i] = b.varlong();
            worst[i] = b.u8();
            lastQ[i] = b.u8();
            offsets[i] = b.varlong();
        }
        double[] values = readDoubles(b, 3 * n, st.lastDoubleBits);
        st.lastDoubleBits = Double.doubleToRawLongBits(values[3 * n - 1]);
        double[] means = readDoubles(b, n, st.lastDoubleBits);
        for (int i = 0; i < n; i++) {
            out.add(new SyncRecord(origin, lane, seqs[i], FrameCodec.rollup(point, ts[i], counts[i], values[3 * i],
                    values[3 * i + 1], means[i], values[3 * i + 2], offsets[i], worst[i], lastQ[i])));
        }
    }

    private static void writeRuns(WireWriter w, int[] v) {
        int runs = 1;
        for (int i = 1; i < v.length; i++) {
            if (v[i] != v[i - 1]) {
                runs++;
            }
        }
        w.varlong(runs);
        int start = 0;
        for (int i = 1; i <= v.length; i++) {
            if (i == v.length || v[i] != v[start]) {
                w.varlong(i - start).u8(v[start]);
                start = i;
            }
        }
    }

    /** Writes the doubles against the key's last one; returns the bits of the last written. */
    private static long writeDoubles(WireWriter w, List<Double> values, long lastBits) {
        int decimals = decimalsFor(values);
        if (decimals >= 0) {
            w.u8(decimals + 1);
            long prev = mantissaOf(Double.longBitsToDouble(lastBits), decimals);
            for (double v : values) {
                long m = Math.round(v * POW10[decimals]);
                w.zigzag(m - prev);
                prev = m;
            }
        } else if (allFloat32(values)) {
            // XOR on the 32-bit pattern: a widened float's low 29 mantissa bits are always zero
            w.u8(MODE_FLOAT_XOR);
            int prev = Float.floatToRawIntBits((float) Double.longBitsToDouble(lastBits));
            for (double v : values) {
                int bits = Float.floatToRawIntBits((float) v);
                int x = bits ^ prev;
                prev = bits;
                if (x == 0) {
                    w.u8(XOR_SAME);
                    continue;
                }
                int lz = Integer.numberOfLeadingZeros(x) >>> 3;
                int tz = Integer.numberOfTrailingZeros(x) >>> 3;
                int len = 4 - lz - tz;
                w.u8((lz << 4) | tz);
                for (int b = 0; b < len; b++) {
                    w.u8(x >>> (8 * (3 - lz - b)));
                }
            }
        } else {
            w.u8(MODE_XOR);
            long prev = lastBits;
            for (double v : values) {
                long bits = Double.doubleToRawLongBits(v);
                long x = bits ^ prev;
                prev = bits;
                if (x == 0) {
                    w.u8(XOR_SAME);
                    continue;
                }
                int lz = Long.numberOfLeadingZeros(x) >>> 3;
                int tz = Long.numberOfTrailingZeros(x) >>> 3;
                int len = 8 - lz - tz;
                w.u8((lz << 4) | tz);
                for (int b = 0; b < len; b++) {
                    w.u8((int) (x >>> (8 * (7 - lz - b))));
                }
            }
        }
        return Double.doubleToRawLongBits(values.get(values.size() - 1));
    }

    /** Whether every value is exactly a float32, NaN payloads included, so 32 bits carry it. */
    static boolean allFloat32(List<Double> values) {
        for (double v : values) {
            if (Double.doubleToRawLongBits((double) (float) v) != Double.doubleToRawLongBits(v)) {
                return false;
            }
        }
        return true;
    }

    /** The previous value's mantissa at {@code d} decimals when it has an exact one, else 0. */
    private static long mantissaOf(double last, int d) {
        return exactDecimal(last, d) ? Math.round(last * POW10[d]) : 0;
    }

    /** The fewest decimals (0..6) that represent every value exactly as mantissa / 10^d, or -1. */
    static int decimalsFor(List<Double> values) {
        for (int d = 0; d < POW10.length; d++) {
            boolean all = true;
            for (double v : values) {
                if (!exactDecimal(v, d)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return d;
            }
        }
        return -1;
    }

    private static boolean exactDecimal(double v, int d) {
        double scaled = v * POW10[d];
        if (Double.isNaN(scaled) || Double.isInfinite(scaled) || Math.abs(scaled) > (1L << 52)) {
            return false;
        }
        long m = Math.round(scaled);
        return Double.doubleToRawLongBits(m / POW10[d]) == Double.doubleToRawLongBits(v);
    }

    // ------------------------------------------------------------------ decode

    /** Decodes a BATCH_V2 body whose type byte the reader has already consumed. */
    static Frame.Batch decode(WireReader r, StringDictionary dict) {
        long batchId = r.varlong();
        Compression c = Compression.ofCode(r.u8());
        int rawLen = r.count(FrameCodec.MAX_FRAME_BYTES, "uncompressed byte");
        byte[] raw;
        int at = r.position();
        byte[] rest = r.rest();
        switch (c) {
            case NONE -> {
                if (rest.length != rawLen) {
                    throw WireReader.malformed("batch body of " + rest.length + " bytes, declared " + rawLen);
                }
                raw = rest;
            }
            case LZ4 -> {
                try {
                    raw = LZ4.safeDecompressor().decompress(rest, rawLen);
                } catch (LZ4Exception | IndexOutOfBoundsException e) {
                    throw WireReader.malformed("LZ4 body at offset " + at + " does not decompress to " + rawLen
                            + " bytes");
                }
            }
            default -> {
                raw = zstd(rest, rawLen, at);
            }
        }
        WireReader b = new WireReader(raw);
        int defs = b.count(b.remaining(), "string definition");
        if (dict.size() + (long) defs > StringDictionary.MAX_ENTRIES) {
            throw WireReader.malformed("batch defines " + defs + " strings beyond the dictionary's "
                    + StringDictionary.MAX_ENTRIES);
        }
        for (int i = 0; i < defs; i++) {
            dict.define(b.string());
        }
        // a group key takes at least 4 bytes
        int keyDefs = b.count(b.remaining() / 4, "group key definition");
        if (dict.keyCount() + (long) keyDefs > StringDictionary.MAX_ENTRIES) {
            throw WireReader.malformed("batch defines " + keyDefs + " group keys beyond the table's "
                    + StringDictionary.MAX_ENTRIES);
        }
        for (int i = 0; i < keyDefs; i++) {
            int origin = b.count(Integer.MAX_VALUE, "origin id");
            int lane = b.u8();
            int kind = b.u8();
            int point = b.count(Integer.MAX_VALUE, "point id");
            dict.get(origin);
            dict.get(point);
            if (lane > Lane.ROLLUP.code()) {
                throw WireReader.malformed("unknown lane code " + lane);
            }
            if (kind != KIND_READING && kind != KIND_ALARM && kind != KIND_ROLLUP && kind != KIND_POINT_INFO) {
                throw WireReader.malformed("unknown record kind " + kind);
            }
            dict.defineKey(new StringDictionary.Key(origin, lane, kind, point));
        }
        int groups = b.count(b.remaining(), "group");
        List<SyncRecord> out = new ArrayList<>();
        long keyId = -1;
        for (int g = 0; g < groups; g++) {
            keyId += 1 + b.zigzag();
            if (keyId < 0 || keyId >= dict.keyCount()) {
                throw WireReader.malformed("group key " + keyId + " not defined on this connection");
            }
            StringDictionary.KeyState st = dict.key((int) keyId);
            String origin = dict.get(st.key.origin());
            Lane lane = Lane.ofCode(st.key.lane());
            String point = dict.get(st.key.point());
            int flags = b.u8();
            if (flags > (FLAG_SINGLE | FLAG_SAME_QUALITY | FLAG_SAME_TYPE)) {
                throw WireReader.malformed("unknown group flags 0x" + Integer.toHexString(flags));
            }
            int n = (flags & FLAG_SINGLE) != 0 ? 1
                    : b.count(Math.min(FrameCodec.MAX_BATCH_RECORDS - out.size(), b.remaining() + 2), "record");
            if (n == 0 || out.size() + n > FrameCodec.MAX_BATCH_RECORDS) {
                throw WireReader.malformed("group of " + n + " records");
            }
            long[] seqs = new long[n];
            long[] ts = new long[n];
            long[] seqState = readPredicted(b, n, st.lastSeq, st.seqStep, seqs);
            long[] tsState = readPredicted(b, n, st.lastTs, st.tsStep, ts);
            for (long seq : seqs) {
                if (seq < 0) {
                    throw WireReader.malformed("negative sequence in group of " + origin);
                }
            }
            st.lastSeq = seqState[0];
            st.seqStep = seqState[1];
            st.lastTs = tsState[0];
            st.tsStep = tsState[1];
            if (st.key.kind() == KIND_READING) {
                readReadings(b, n, origin, lane, point, seqs, ts, flags, st, out);
            } else if (st.key.kind() == KIND_ROLLUP) {
                readRollups(b, n, origin, lane, point, seqs, ts, st, out);
            } else if (st.key.kind() == KIND_POINT_INFO) {
                for (int i = 0; i < n; i++) {
                    out.add(new SyncRecord(origin, lane, seqs[i], FrameCodec.readPointInfoBody(b, point, ts[i])));
                }
            } else {
                for (int i = 0; i < n; i++) {
                    int limit = b.u8();
                    int level = b.u8();
                    int raised = b.u8();
                    double v = b.f64();
                    double th = b.f64();
                    if (limit > AlarmLimit.FAULT.code() || level < 1 || level > 4 || raised > 1) {
                        throw WireReader.malformed("alarm limit " + limit + " / level " + level + " / raised "
                                + raised + " out of range");
                    }
                    out.add(new SyncRecord(origin, lane, seqs[i], new AlarmEvent(point, ts[i],
                            AlarmLimit.ofCode(limit), level, raised == 1, v, th)));
                }
            }
        }
        b.expectEnd("compact batch");
        return new Frame.Batch(batchId, out);
    }

    private static byte[] zstd(byte[] src, int rawLen, int at) {
        long declared;
        byte[] raw;
        try {
            // any library failure on hostile input (even an index error on an empty body) is a refusal
            declared = src.length == 0 ? -1 : Zstd.getFrameContentSize(src);
            if (declared != rawLen) {
                throw WireReader.malformed("zstd body at offset " + at + " declares " + declared
                        + " bytes, frame says " + rawLen);
            }
            raw = Zstd.decompress(src, rawLen);
        } catch (ProtocolException e) {
            throw e;
        } catch (RuntimeException e) {
            throw WireReader.malformed("zstd body at offset " + at + " does not decompress: " + e.getMessage());
        }
        if (raw.length != rawLen) {
            throw WireReader.malformed("zstd body decompressed to " + raw.length + " bytes, not " + rawLen);
        }
        return raw;
    }


    private static int[] readRuns(WireReader b, int n, String what) {
        int runs = b.count(n, what + " run");
        int[] v = new int[n];
        int i = 0;
        for (int r = 0; r < runs; r++) {
            int len = b.count(n - i, what + " run length");
            if (len == 0) {
                throw WireReader.malformed("empty " + what + " run");
            }
            int val = b.u8();
            for (int k = 0; k < len; k++) {
                v[i++] = val;
            }
        }
        if (i != n) {
            throw WireReader.malformed(what + " runs cover " + i + " of " + n + " records");
        }
        return v;
    }

    private static void readReadings(WireReader b, int n, String origin, Lane lane, String point, long[] seqs,
                                     long[] ts, int flags, StringDictionary.KeyState st, List<SyncRecord> out) {
        int[] q;
        if ((flags & FLAG_SAME_QUALITY) != 0) {
            if (st.lastQuality < 0) {
                throw WireReader.malformed("group repeats a quality its key never had");
            }
            q = new int[n];
            java.util.Arrays.fill(q, st.lastQuality);
        } else {
            q = readRuns(b, n, "quality");
        }
        int[] t;
        if ((flags & FLAG_SAME_TYPE) != 0) {
            if (st.lastType < 0) {
                throw WireReader.malformed("group repeats a value type its key never had");
            }
            t = new int[n];
            java.util.Arrays.fill(t, st.lastType);
        } else {
            t = readRuns(b, n, "value type");
        }
        int nd = 0;
        int nl = 0;
        for (int type : t) {
            if (type == FrameCodec.V_DOUBLE) {
                nd++;
            } else if (type == FrameCodec.V_LONG) {
                nl++;
            } else if (type > FrameCodec.V_STRING) {
                throw WireReader.malformed("unknown value type " + type);
            }
        }
        double[] doubles = nd > 0 ? readDoubles(b, nd, st.lastDoubleBits) : new double[0];
        if (nd > 0) {
            st.lastDoubleBits = Double.doubleToRawLongBits(doubles[nd - 1]);
        }
        long[] longs = new long[nl];
        long prev = st.lastLong;
        for (int i = 0; i < nl; i++) {
            prev += b.zigzag();
            longs[i] = prev;
        }
        st.lastLong = prev;
        int di = 0;
        int li = 0;
        for (int i = 0; i < n; i++) {
            PointValue v;
            switch (t[i]) {
                case FrameCodec.V_DOUBLE -> v = PointValue.of(doubles[di++]);
                case FrameCodec.V_LONG -> v = PointValue.of(longs[li++]);
                case FrameCodec.V_BOOL -> {
                    int x = b.u8();
                    if (x > 1) {
                        throw WireReader.malformed("boolean byte " + x);
                    }
                    v = PointValue.of(x == 1);
                }
                case FrameCodec.V_STRING -> v = PointValue.of(b.string());
                default -> v = PointValue.NONE;
            }
            out.add(new SyncRecord(origin, lane, seqs[i], new Reading(point, ts[i], v, q[i])));
        }
        st.lastQuality = allEqual(q, q[n - 1]) ? q[n - 1] : -1;
        st.lastType = allEqual(t, t[n - 1]) ? t[n - 1] : -1;
    }

    private static double[] readDoubles(WireReader b, int n, long lastBits) {
        int mode = b.u8();
        double[] out = new double[n];
        if (mode == MODE_FLOAT_XOR) {
            int prev = Float.floatToRawIntBits((float) Double.longBitsToDouble(lastBits));
            for (int i = 0; i < n; i++) {
                int hdr = b.u8();
                int x = 0;
                if (hdr != XOR_SAME) {
                    int lz = hdr >>> 4;
                    int tz = hdr & 0x0F;
                    int len = 4 - lz - tz;
                    if (lz > 3 || tz > 3 || len < 1) {
                        throw WireReader.malformed("bad float XOR header 0x" + Integer.toHexString(hdr));
                    }
                    for (int k = 0; k < len; k++) {
                        x |= b.u8() << (8 * (3 - lz - k));
                    }
                }
                prev ^= x;
                out[i] = Float.intBitsToFloat(prev);
            }
            return out;
        }
        if (mode > POW10.length) {
            throw WireReader.malformed("unknown double mode " + mode);
        }
        if (mode != MODE_XOR) {
            int d = mode - 1;
            long m = mantissaOf(Double.longBitsToDouble(lastBits), d);
            for (int i = 0; i < n; i++) {
                m += b.zigzag();
                out[i] = m / POW10[d];
            }
            return out;
        }
        long prev = lastBits;
        for (int i = 0; i < n; i++) {
            int hdr = b.u8();
            long x = 0;
            if (hdr != XOR_SAME) {
                int lz = hdr >>> 4;
                int tz = hdr & 0x0F;
                int len = 8 - lz - tz;
                if (lz > 7 || tz > 7 || len < 1) {
                    throw WireReader.malformed("bad XOR header 0x" + Integer.toHexString(hdr));
                }
                for (int k = 0; k < len; k++) {
                    x |= (long) b.u8() << (8 * (7 - lz - k));
                }
            }
            prev ^= x;
            out[i] = Double.longBitsToDouble(prev);
        }
        return out;
    }

}
