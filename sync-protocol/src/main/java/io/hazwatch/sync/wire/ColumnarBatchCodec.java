package io.hazwatch.sync.wire;

import com.github.luben.zstd.Zstd;
import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.SyncRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    static final int MODE_XOR = 0;
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
        Map<GroupKey, List<SyncRecord>> groups = new LinkedHashMap<>();
        for (SyncRecord r : batch.records()) {
            int origin = idFor(r.origin(), dict, defs);
            int point = idFor(r.payload().point(), dict, defs);
            int kind = r.payload() instanceof Reading ? KIND_READING : KIND_ALARM;
            groups.computeIfAbsent(new GroupKey(origin, r.lane().code(), kind, point), k -> new ArrayList<>()).add(r);
        }
        body.varlong(defs.size());
        for (String s : defs) {
            body.string(s);
        }
        body.varlong(groups.size());
        for (Map.Entry<GroupKey, List<SyncRecord>> e : groups.entrySet()) {
            GroupKey k = e.getKey();
            List<SyncRecord> rs = e.getValue();
            body.varlong(k.origin).u8(k.lane).u8(k.kind).varlong(k.point).varlong(rs.size());
            long[] seqs = new long[rs.size()];
            long[] ts = new long[rs.size()];
            for (int i = 0; i < rs.size(); i++) {
                seqs[i] = rs.get(i).seq();
                ts[i] = rs.get(i).payload().timestampMillis();
            }
            writeDod(body, seqs);
            writeDod(body, ts);
            if (k.kind == KIND_READING) {
                writeReadings(body, rs);
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

    private static int idFor(String s, StringDictionary dict, List<String> defs) {
        int id = dict.idOf(s);
        if (id < 0) {
            id = dict.define(s);
            defs.add(s);
        }
        return id;
    }

    /** First value as zig-zag, then the first delta, then deltas of deltas. */
    private static void writeDod(WireWriter w, long[] v) {
        w.zigzag(v[0]);
        if (v.length > 1) {
            long prevDelta = v[1] - v[0];
            w.zigzag(prevDelta);
            for (int i = 2; i < v.length; i++) {
                long d = v[i] - v[i - 1];
                w.zigzag(d - prevDelta);
                prevDelta = d;
            }
        }
    }

    private static void writeReadings(WireWriter w, List<SyncRecord> rs) {
        int n = rs.size();
        int[] q = new int[n];
        int[] t = new int[n];
        List<Double> doubles = new ArrayList<>();
        List<Long> longs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Reading rd = (Reading) rs.get(i).payload();
            q[i] = rd.quality();
            PointValue v = rd.value();
            if (v instanceof PointValue.DoubleValue d) {
                t[i] = FrameCodec.V_DOUBLE;
                doubles.add(d.value());
            } else if (v instanceof PointValue.LongValue l) {
                t[i] = FrameCodec.V_LONG;
                longs.add(l.value());
            } else if (v instanceof PointValue.BoolValue) {
                t[i] = FrameCodec.V_BOOL;
            } else if (v instanceof PointValue.StringValue) {
                t[i] = FrameCodec.V_STRING;
            } else {
                t[i] = FrameCodec.V_NONE;
            }
        }
        writeRuns(w, q);
        writeRuns(w, t);
        if (!doubles.isEmpty()) {
            writeDoubles(w, doubles);
        }
        long prev = 0;
        for (long l : longs) {
            w.zigzag(l - prev);
            prev = l;
        }
        for (int i = 0; i < n; i++) {
            PointValue v = ((Reading) rs.get(i).payload()).value();
            if (v instanceof PointValue.BoolValue b) {
                w.u8(b.value() ? 1 : 0);
            } else if (v instanceof PointValue.StringValue s) {
                w.string(s.value());
            }
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

    private static void writeDoubles(WireWriter w, List<Double> values) {
        int decimals = decimalsFor(values);
        if (decimals >= 0) {
            w.u8(decimals + 1);
            long prev = 0;
            for (double v : values) {
                long m = Math.round(v * POW10[decimals]);
                w.zigzag(m - prev);
                prev = m;
            }
            return;
        }
        w.u8(MODE_XOR);
        long prev = 0;
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
            if (lz > 7) {
                lz = 7;
            }
            int len = 8 - lz - tz;
            w.u8((lz << 4) | tz);
            for (int b = 0; b < len; b++) {
                w.u8((int) (x >>> (8 * (7 - lz - b))));
            }
        }
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
        int groups = b.count(b.remaining(), "group");
        List<SyncRecord> out = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            String origin = dict.get(b.count(Integer.MAX_VALUE, "origin id"));
            int laneCode = b.u8();
            if (laneCode > Lane.ROLLUP.code()) {
                throw WireReader.malformed("unknown lane code " + laneCode);
            }
            Lane lane = Lane.ofCode(laneCode);
            int kind = b.u8();
            if (kind != KIND_READING && kind != KIND_ALARM) {
                throw WireReader.malformed("unknown record kind " + kind);
            }
            String point = dict.get(b.count(Integer.MAX_VALUE, "point id"));
            int n = b.count(Math.min(FrameCodec.MAX_BATCH_RECORDS - out.size(), b.remaining() + 2), "record");
            if (n == 0) {
                throw WireReader.malformed("empty group");
            }
            long[] seqs = readDod(b, n);
            long[] ts = readDod(b, n);
            for (long s : seqs) {
                if (s < 0) {
                    throw WireReader.malformed("negative sequence in group of " + origin);
                }
            }
            if (kind == KIND_READING) {
                readReadings(b, n, origin, lane, point, seqs, ts, out);
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

    private static long[] readDod(WireReader b, int n) {
        long[] v = new long[n];
        v[0] = b.zigzag();
        if (n > 1) {
            long delta = b.zigzag();
            v[1] = v[0] + delta;
            for (int i = 2; i < n; i++) {
                delta += b.zigzag();
                v[i] = v[i - 1] + delta;
            }
        }
        return v;
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
                                     long[] ts, List<SyncRecord> out) {
        int[] q = readRuns(b, n, "quality");
        int[] t = readRuns(b, n, "value type");
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
        double[] doubles = nd > 0 ? readDoubles(b, nd) : new double[0];
        long[] longs = new long[nl];
        long prev = 0;
        for (int i = 0; i < nl; i++) {
            prev += b.zigzag();
            longs[i] = prev;
        }
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
    }

    private static double[] readDoubles(WireReader b, int n) {
        int mode = b.u8();
        double[] out = new double[n];
        if (mode > POW10.length) {
            throw WireReader.malformed("unknown double mode " + mode);
        }
        if (mode != MODE_XOR) {
            int d = mode - 1;
            long m = 0;
            for (int i = 0; i < n; i++) {
                m += b.zigzag();
                out[i] = m / POW10[d];
            }
            return out;
        }
        long prev = 0;
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

    private record GroupKey(int origin, int lane, int kind, int point) {
        GroupKey {
            Objects.checkIndex(lane, 256);
        }
    }
}
