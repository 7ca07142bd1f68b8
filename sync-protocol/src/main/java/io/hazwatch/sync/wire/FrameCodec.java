package io.hazwatch.sync.wire;

import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.Payload;
import io.hazwatch.sync.model.PointInfo;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.Rollup;
import io.hazwatch.sync.model.StreamKey;
import io.hazwatch.sync.model.SyncRecord;
import io.hazwatch.sync.ranges.RangeSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Encodes and decodes frame bodies (the type byte and what follows it; the length prefix is the
 * framer's business). Stateless and thread-safe. Decoding any byte string either returns a frame or
 * throws {@link ProtocolException}; it never allocates more than the input can justify.
 *
 * <p>Layouts are in docs/sync-protocol.md; keep the two in step.
 */
public final class FrameCodec {
    /** Protocol versions this build speaks. */
    public static final int MIN_VERSION = 1;
    public static final int MAX_VERSION = 3;
    /** First version whose parents take {@link Rollup} records (record kind 3). */
    public static final int ROLLUP_VERSION = 3;
    /**
     * First version whose parents take {@link PointInfo} records (record kind 4), so the first to be
     * sent the META lane: older parents would refuse the whole batch on the unknown kind.
     */
    public static final int POINT_INFO_VERSION = 3;
    /** Hard ceiling on a frame (type byte plus body), both directions. */
    public static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;
    /** Most records one batch may carry. */
    public static final int MAX_BATCH_RECORDS = 65_536;

    static final int KIND_READING = 1;
    static final int KIND_ALARM = 2;
    static final int KIND_ROLLUP = 3;
    static final int KIND_POINT_INFO = 4;

    /** Presence bits of a point-info record's optional fields, in the order the fields follow. */
    static final int PI_DESCRIPTION = 1;
    static final int PI_SCALE = 1 << 1;
    static final int PI_OFFSET = 1 << 2;
    static final int PI_RANGE = 1 << 3;
    static final int PI_HH = 1 << 4;
    static final int PI_H = 1 << 5;
    static final int PI_L = 1 << 6;
    static final int PI_LL = 1 << 7;
    private static final AlarmLimit[] PI_LIMITS = {AlarmLimit.HH, AlarmLimit.H, AlarmLimit.L, AlarmLimit.LL};

    static final int V_NONE = 0;
    static final int V_DOUBLE = 1;
    static final int V_LONG = 2;
    static final int V_BOOL = 3;
    static final int V_STRING = 4;

    private FrameCodec() {
    }

    public static byte[] encode(Frame frame) {
        WireWriter w = new WireWriter(frame instanceof Frame.Batch b ? 64 + 24 * b.records().size() : 64);
        encode(frame, w);
        return w.toByteArray();
    }

    public static void encode(Frame frame, WireWriter w) {
        w.u8(frame.type());
        if (frame instanceof Frame.Batch b) {
            writeBatch(w, b);
        } else if (frame instanceof Frame.Ack a) {
            w.varlong(a.batchId());
            writeStreams(w, a.held());
            if (a.credit() != null) {
                writeCredit(w, a.credit());
            }
        } else if (frame instanceof Frame.Hello h) {
            w.u16(h.minVersion()).u16(h.maxVersion()).string(h.nodeId()).varlong(h.clockMillis());
        } else if (frame instanceof Frame.Welcome wl) {
            w.u16(wl.version()).string(wl.nodeId()).varlong(wl.clockMillis());
            writeStreams(w, wl.held());
            if (wl.credit() != null) {
                writeCredit(w, wl.credit());
            }
        } else if (frame instanceof Frame.Credit c) {
            writeCredit(w, c);
        } else if (frame instanceof Frame.Error e) {
            w.u16(e.code().code()).string(truncate(e.message()));
        } else if (frame instanceof Frame.Ping p) {
            w.varlong(p.nonce()).varlong(p.clockMillis()).varlong(p.backlog());
        } else if (frame instanceof Frame.Pong p) {
            w.varlong(p.nonce()).varlong(p.clockMillis());
        } else {
            throw new IllegalArgumentException("unknown frame " + frame.getClass().getName());
        }
    }

    /** Decodes a frame as a connection of version 2 or lower reads it (an ACK without credit). */
    public static Frame decode(byte[] body) {
        return decode(body, 0, body.length);
    }

    /** As {@link #decode(byte[], int, int, int)} on a connection of version 2. */
    public static Frame decode(byte[] body, int off, int len) {
        return decode(body, off, len, 2);
    }

    /**
     * Decodes a frame as a connection that negotiated {@code version} reads it: from version 3 on an ACK
     * carries credit and a CREDIT frame is legal. A WELCOME says its own version, so it decodes alike
     * on any connection.
     */
    public static Frame decode(byte[] body, int off, int len, int version) {
        if (len > MAX_FRAME_BYTES) {
            throw new ProtocolException(ErrorCode.FRAME_TOO_LARGE, len + " bytes > " + MAX_FRAME_BYTES);
        }
        WireReader r = new WireReader(body, off, len);
        int type = r.u8();
        Frame f = switch (type) {
            case Frame.FrameType.HELLO -> new Frame.Hello(r.u16(), r.u16(), r.string(), r.varlong());
            case Frame.FrameType.WELCOME -> {
                int welcomeVersion = r.u16();
                String node = r.string();
                long clock = r.varlong();
                Map<StreamKey, RangeSet> held = readStreams(r);
                yield new Frame.Welcome(welcomeVersion, node, clock, held,
                        welcomeVersion >= Frame.Credit.SINCE_VERSION ? readCredit(r) : null);
            }
            case Frame.FrameType.BATCH -> readBatch(r);
            case Frame.FrameType.ACK -> {
                long id = r.varlong();
                Map<StreamKey, RangeSet> held = readStreams(r);
                yield new Frame.Ack(id, held, version >= Frame.Credit.SINCE_VERSION ? readCredit(r) : null);
            }
            case Frame.FrameType.CREDIT -> {
                if (version < Frame.Credit.SINCE_VERSION) {
                    throw new ProtocolException(ErrorCode.UNEXPECTED_FRAME,
                            "credit frame on a connection that negotiated version " + version);
                }
                yield readCredit(r);
            }
            case Frame.FrameType.ERROR -> new Frame.Error(ErrorCode.ofCode(r.u16()), r.string());
            case Frame.FrameType.PING -> new Frame.Ping(r.varlong(), r.varlong(), r.varlong());
            case Frame.FrameType.PONG -> new Frame.Pong(r.varlong(), r.varlong());
            default -> throw new ProtocolException(ErrorCode.UNKNOWN_FRAME_TYPE,
                    "frame type 0x" + Integer.toHexString(type) + " at offset " + off);
        };
        r.expectEnd("frame type 0x" + Integer.toHexString(type));
        return f;
    }

    // ---- records, also used by the journal to store one record on its own ----

    /** One record with its own string table (the journal's storage form). */
    public static byte[] encodeRecord(SyncRecord rec) {
        WireWriter w = new WireWriter(64);
        StringTable t = new StringTable();
        t.index(rec.origin());
        t.index(rec.payload().point());
        t.write(w);
        writeRecord(w, rec, t);
        return w.toByteArray();
    }

    public static SyncRecord decodeRecord(byte[] bytes) {
        WireReader r = new WireReader(bytes);
        String[] strings = readStrings(r);
        SyncRecord rec = readRecord(r, strings);
        r.expectEnd("record");
        return rec;
    }

    private static void writeBatch(WireWriter w, Frame.Batch b) {
        w.varlong(b.batchId());
        StringTable t = new StringTable();
        for (SyncRecord rec : b.records()) {
            t.index(rec.origin());
            t.index(rec.payload().point());
        }
        t.write(w);
        w.varlong(b.records().size());
        for (SyncRecord rec : b.records()) {
            writeRecord(w, rec, t);
        }
    }

    private static Frame.Batch readBatch(WireReader r) {
        long id = r.varlong();
        String[] strings = readStrings(r);
        // each record takes at least 6 bytes: bound the count by what remains
        int n = r.count(Math.min(MAX_BATCH_RECORDS, r.remaining() / 6), "record");
        List<SyncRecord> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            records.add(readRecord(r, strings));
        }
        return new Frame.Batch(id, records);
    }

    private static void writeRecord(WireWriter w, SyncRecord rec, StringTable t) {
        w.varlong(t.index(rec.origin())).u8(rec.lane().code()).varlong(rec.seq());
        Payload p = rec.payload();
        if (p instanceof Reading rd) {
            w.u8(KIND_READING).varlong(t.index(rd.point())).zigzag(rd.timestampMillis()).u8(rd.quality());
            writeValue(w, rd.value());
        } else if (p instanceof Rollup ru) {
            w.u8(KIND_ROLLUP).varlong(t.index(ru.point()));
            writeRollupBody(w, ru);
        } else if (p instanceof PointInfo pi) {
            w.u8(KIND_POINT_INFO).varlong(t.index(pi.point())).zigzag(pi.timestampMillis());
            writePointInfoBody(w, pi);
        } else {
            AlarmEvent a = (AlarmEvent) p;
            w.u8(KIND_ALARM).varlong(t.index(a.point())).zigzag(a.timestampMillis())
                    .u8(a.limit().code()).u8(a.level()).u8(a.raised() ? 1 : 0)
                    .f64(a.value()).f64(a.threshold());
        }
    }

    private static SyncRecord readRecord(WireReader r, String[] strings) {
        String origin = strings[r.count(strings.length - 1, "origin index")];
        int laneCode = r.u8();
        long seq = r.varlong();
        if (seq < 0) {
            throw WireReader.malformed("negative sequence at offset " + r.position());
        }
        int kind = r.u8();
        Payload p = switch (kind) {
            case KIND_READING -> {
                String point = strings[r.count(strings.length - 1, "point index")];
                long ts = r.zigzag();
                int q = r.u8();
                yield new Reading(point, ts, readValue(r), q);
            }
            case KIND_ALARM -> {
                String point = strings[r.count(strings.length - 1, "point index")];
                long ts = r.zigzag();
                int limitCode = r.u8();
                int level = r.u8();
                int raised = r.u8();
                double v = r.f64();
                double th = r.f64();
                if (limitCode > AlarmLimit.FAULT.code()) {
                    throw WireReader.malformed("unknown alarm limit code " + limitCode);
                }
                if (level < 1 || level > 4 || raised > 1) {
                    throw WireReader.malformed("alarm level " + level + " / raised " + raised + " out of range");
                }
                yield new AlarmEvent(point, ts, AlarmLimit.ofCode(limitCode), level, raised == 1, v, th);
            }
            case KIND_ROLLUP -> readRollupBody(r, strings[r.count(strings.length - 1, "point index")]);
            case KIND_POINT_INFO -> {
                String point = strings[r.count(strings.length - 1, "point index")];
                yield readPointInfoBody(r, point, r.zigzag());
            }
            default -> throw WireReader.malformed("unknown record kind " + kind + " at offset " + (r.position() - 1));
        };
        if (laneCode > Lane.ROLLUP.code()) {
            throw WireReader.malformed("unknown lane code " + laneCode);
        }
        return new SyncRecord(origin, Lane.ofCode(laneCode), seq, p);
    }

    /**
     * A rollup after its point: minute start, count, worst and last quality, the last reading's offset
     * into the minute, then min, max, mean and last as {@code f64}.
     */
    private static void writeRollupBody(WireWriter w, Rollup ru) {
        w.zigzag(ru.minuteStartMillis()).varlong(ru.count()).u8(ru.worstQuality()).u8(ru.lastQuality())
                .varlong(ru.lastTimestampMillis() - ru.minuteStartMillis())
                .f64(ru.min()).f64(ru.max()).f64(ru.mean()).f64(ru.last());
    }

    private static Rollup readRollupBody(WireReader r, String point) {
        long minute = r.zigzag();
        long count = r.varlong();
        int worst = r.u8();
        int lastQ = r.u8();
        long offset = r.varlong();
        double min = r.f64();
        double max = r.f64();
        double mean = r.f64();
        double last = r.f64();
        return rollup(point, minute, count, min, max, mean, last, offset, worst, lastQ);
    }

    /** Builds a decoded rollup, refusing as malformed what the record's own checks would refuse. */
    static Rollup rollup(String point, long minute, long count, double min, double max, double mean, double last,
                         long offset, int worst, int lastQ) {
        if (Math.floorMod(minute, Rollup.MINUTE_MILLIS) != 0) {
            throw WireReader.malformed("rollup minute " + minute + " does not start on a minute");
        }
        if (count < 1) {
            throw WireReader.malformed("rollup of " + count + " readings");
        }
        if (offset < 0 || offset >= Rollup.MINUTE_MILLIS || minute > Long.MAX_VALUE - offset) {
            throw WireReader.malformed("rollup's last reading " + offset + " ms into its minute");
        }
        return new Rollup(point, minute, count, min, max, mean, last, minute + offset, worst, lastQ);
    }

    /**
     * A point-info record after its point and timestamp: unit and data type as strings, a byte of
     * presence bits, then the fields present in bit order: description (string), scale, offset, range
     * low and high, HH, H, L, LL ({@code f64} each). Shared by both batch codings.
     */
    static void writePointInfoBody(WireWriter w, PointInfo pi) {
        int flags = (pi.description().isPresent() ? PI_DESCRIPTION : 0) | (pi.scale().isPresent() ? PI_SCALE : 0)
                | (pi.offset().isPresent() ? PI_OFFSET : 0) | (pi.range().isPresent() ? PI_RANGE : 0);
        for (int i = 0; i < PI_LIMITS.length; i++) {
            if (pi.limits().containsKey(PI_LIMITS[i])) {
                flags |= PI_HH << i;
            }
        }
        w.string(pi.unit()).string(pi.dataType()).u8(flags);
        pi.description().ifPresent(w::string);
        pi.scale().ifPresent(w::f64);
        pi.offset().ifPresent(w::f64);
        pi.range().ifPresent(rg -> w.f64(rg.low()).f64(rg.high()));
        for (AlarmLimit limit : PI_LIMITS) {
            Double v = pi.limits().get(limit);
            if (v != null) {
                w.f64(v);
            }
        }
    }

    /**
     * Reads what {@link #writePointInfoBody} wrote. Every refusal is a {@link ErrorCode#MALFORMED_FRAME}
     * naming the field it was reading; nothing is allocated beyond the strings' bounded lengths.
     */
    static PointInfo readPointInfoBody(WireReader r, String point, long ts) {
        String field = "unit";
        try {
            String unit = r.string();
            field = "data type";
            String dataType = r.string();
            field = "flags";
            int flags = r.u8();
            field = "description";
            Optional<String> description = (flags & PI_DESCRIPTION) != 0 ? Optional.of(r.string()) : Optional.empty();
            field = "scale";
            OptionalDouble scale = (flags & PI_SCALE) != 0 ? OptionalDouble.of(r.f64()) : OptionalDouble.empty();
            field = "offset";
            OptionalDouble offset = (flags & PI_OFFSET) != 0 ? OptionalDouble.of(r.f64()) : OptionalDouble.empty();
            field = "range";
            Optional<PointInfo.EngineeringRange> range = Optional.empty();
            if ((flags & PI_RANGE) != 0) {
                double low = r.f64();
                double high = r.f64();
                if (!(low <= high)) {
                    throw WireReader.malformed("low " + low + " is not at most high " + high);
                }
                range = Optional.of(new PointInfo.EngineeringRange(low, high));
            }
            Map<AlarmLimit, Double> limits = new EnumMap<>(AlarmLimit.class);
            for (int i = 0; i < PI_LIMITS.length; i++) {
                if ((flags & (PI_HH << i)) != 0) {
                    field = "limit " + PI_LIMITS[i];
                    limits.put(PI_LIMITS[i], r.f64());
                }
            }
            return new PointInfo(point, ts, unit, dataType, description, scale, offset, range, limits);
        } catch (ProtocolException e) {
            throw WireReader.malformed("point info " + field + ": " + e.getMessage().replaceFirst("^MALFORMED_FRAME: ", ""));
        }
    }

    private static void writeValue(WireWriter w, PointValue v) {
        if (v instanceof PointValue.DoubleValue d) {
            w.u8(V_DOUBLE).f64(d.value());
        } else if (v instanceof PointValue.LongValue l) {
            w.u8(V_LONG).zigzag(l.value());
        } else if (v instanceof PointValue.BoolValue b) {
            w.u8(V_BOOL).u8(b.value() ? 1 : 0);
        } else if (v instanceof PointValue.StringValue s) {
            w.u8(V_STRING).string(s.value());
        } else {
            w.u8(V_NONE);
        }
    }

    private static PointValue readValue(WireReader r) {
        int t = r.u8();
        return switch (t) {
            case V_NONE -> PointValue.NONE;
            case V_DOUBLE -> PointValue.of(r.f64());
            case V_LONG -> PointValue.of(r.zigzag());
            case V_BOOL -> {
                int b = r.u8();
                if (b > 1) {
                    throw WireReader.malformed("boolean byte " + b);
                }
                yield PointValue.of(b == 1);
            }
            case V_STRING -> PointValue.of(r.string());
            default -> throw WireReader.malformed("unknown value type " + t + " at offset " + (r.position() - 1));
        };
    }

    private static String[] readStrings(WireReader r) {
        // each string takes at least one byte
        int n = r.count(r.remaining(), "string table");
        String[] s = new String[n];
        for (int i = 0; i < n; i++) {
            s[i] = r.string();
        }
        return s;
    }

    private static void writeStreams(WireWriter w, Map<StreamKey, RangeSet> streams) {
        w.varlong(streams.size());
        for (Map.Entry<StreamKey, RangeSet> e : streams.entrySet()) {
            w.string(e.getKey().origin()).u8(e.getKey().lane().code());
            RangeSet rs = e.getValue();
            w.varlong(rs.rangeCount());
            long prevHi = -1;
            for (int i = 0; i < rs.rangeCount(); i++) {
                // ranges are sorted and disjoint: code each as gap from the previous hi, then length
                w.varlong(rs.lo(i) - prevHi - 1).varlong(rs.hi(i) - rs.lo(i));
                prevHi = rs.hi(i);
            }
        }
    }

    private static Map<StreamKey, RangeSet> readStreams(WireReader r) {
        // a stream takes at least 3 bytes: origin length 0, lane, range count 0
        int n = r.count(r.remaining() / 3, "stream");
        Map<StreamKey, RangeSet> out = new LinkedHashMap<>(Math.max(4, n * 2));
        for (int i = 0; i < n; i++) {
            String origin = r.string();
            int laneCode = r.u8();
            if (laneCode > Lane.ROLLUP.code()) {
                throw WireReader.malformed("unknown lane code " + laneCode);
            }
            int ranges = r.count(r.remaining() / 2, "range");
            RangeSet rs = new RangeSet();
            long prevHi = -1;
            for (int k = 0; k < ranges; k++) {
                long lo = prevHi + 1 + r.varlong();
                long hi = lo + r.varlong();
                if (lo < 0 || hi < lo || lo <= prevHi) {
                    throw WireReader.malformed("range overflow in stream " + origin);
                }
                rs.add(lo, hi);
                prevHi = hi;
            }
            StreamKey key = new StreamKey(origin, Lane.ofCode(laneCode));
            if (out.put(key, rs) != null) {
                throw WireReader.malformed("stream " + key + " listed twice");
            }
        }
        return out;
    }

    private static void writeCredit(WireWriter w, Frame.Credit c) {
        w.varlong(c.records()).varlong(c.batches());
    }

    /** Credit values are bounded: anything past the maximum (or a negative long) is malformed. */
    private static Frame.Credit readCredit(WireReader r) {
        int at = r.position();
        long records = r.varlong();
        long batches = r.varlong();
        if (records < 0 || records > Frame.Credit.MAX_RECORDS) {
            throw WireReader.malformed("credit of " + Long.toUnsignedString(records) + " records at offset " + at
                    + " exceeds the maximum of " + Frame.Credit.MAX_RECORDS);
        }
        if (batches < 0 || batches > Frame.Credit.MAX_BATCHES) {
            throw WireReader.malformed("credit of " + Long.toUnsignedString(batches) + " batches at offset " + at
                    + " exceeds the maximum of " + Frame.Credit.MAX_BATCHES);
        }
        return new Frame.Credit(records, (int) batches);
    }

    private static String truncate(String s) {
        if (s.length() > 200) {
            return s.substring(0, 200);
        }
        return s;
    }

    /** Batch-local string table: origins and point names travel once per batch. */
    private static final class StringTable {
        private final Map<String, Integer> idx = new HashMap<>();
        private final List<String> order = new ArrayList<>();

        int index(String s) {
            Integer i = idx.get(s);
            if (i == null) {
                i = order.size();
                idx.put(s, i);
                order.add(s);
            }
            return i;
        }

        void write(WireWriter w) {
            w.varlong(order.size());
            for (String s : order) {
                w.string(s);
            }
        }
    }
}
