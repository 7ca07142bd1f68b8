package io.hazwatch.province;

import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import org.h2.tools.SimpleResultSet;
import org.h2.tools.SimpleRowSource;

/**
 * Reading the province's readings back out of {@code reading_block} (and out of {@code reading_v1},
 * the row-per-reading table of a store written before blocks): a range query for one point, a scan
 * of everything, and the H2 table functions behind the SQL view {@code reading}, so operators' ad-hoc
 * SQL keeps the old columns.
 *
 * <p>Every method takes the connection it reads through; the table functions get the calling
 * session's own connection from H2, so they see exactly what that session's query sees.
 */
public final class ReadingBlocks {
    /**
     * Source time one block spans at most (ts_last - ts_first). The writer starts a new block rather
     * than exceed it, which lets a range query bound its index scan on both sides: a block holding a
     * reading in [from, to] has its ts_last in [from, to + MAX_SPAN_MILLIS]. Part of the stored format.
     */
    public static final long MAX_SPAN_MILLIS = 3_600_000L;

    /** Where a store written before blocks keeps its rows; renamed from {@code reading} on first open. */
    static final String LEGACY_TABLE = "READING_V1";

    /** URL of the connection H2 passes when it only wants a table function's columns. */
    private static final String COLUMN_LIST_URL = "jdbc:columnlist:connection";

    private ReadingBlocks() {
    }

    /**
     * Readings of {@code point} with {@code from <= ts <= to}, in {@link StoredReading#BY_TIME} order, the
     * first {@code limit} of them. Decodes only the blocks whose time range can hold one, and stops as
     * soon as no later block can come before what it already has.
     */
    public static List<StoredReading> query(Connection c, String point, long from, long to, int limit)
            throws SQLException {
        if (limit <= 0 || to < from) {
            return List.of();
        }
        PriorityQueue<StoredReading> best = new PriorityQueue<>(StoredReading.BY_TIME.reversed());
        long scanTo = to > Long.MAX_VALUE - MAX_SPAN_MILLIS ? Long.MAX_VALUE : to + MAX_SPAN_MILLIS;
        try (PreparedStatement ps = c.prepareStatement("SELECT origin, lane, ts_last, payload FROM reading_block"
                + " WHERE point = ? AND ts_last >= ? AND ts_last <= ? AND ts_first <= ? ORDER BY ts_last")) {
            ps.setString(1, point);
            ps.setLong(2, from);
            ps.setLong(3, scanTo);
            ps.setLong(4, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long tsLast = rs.getLong(3);
                    if (best.size() == limit && tsLast >= Long.MIN_VALUE + MAX_SPAN_MILLIS
                            && best.peek().ts() < tsLast - MAX_SPAN_MILLIS) {
                        break; // every block from here on starts after the last reading kept
                    }
                    String origin = rs.getString(1);
                    Lane lane = Lane.ofCode(rs.getInt(2));
                    ReadingColumns b = decode(rs.getBytes(4), point, origin, lane);
                    for (int i = 0; i < b.size(); i++) {
                        long ts = b.ts(i);
                        if (ts >= from && ts <= to) {
                            keep(best, limit, new StoredReading(origin, lane, b.seq(i), point, ts, b.value(i),
                                    b.quality(i), b.received(i)));
                        }
                    }
                }
            }
        }
        if (hasLegacyTable(c)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT origin, lane, seq, point, ts, vtype, v_double,"
                    + " v_long, v_text, quality, received FROM " + LEGACY_TABLE
                    + " WHERE point = ? AND ts >= ? AND ts <= ? ORDER BY ts, origin, seq, lane LIMIT ?")) {
                ps.setString(1, point);
                ps.setLong(2, from);
                ps.setLong(3, to);
                ps.setInt(4, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keep(best, limit, legacyRow(rs));
                    }
                }
            }
        }
        List<StoredReading> out = new ArrayList<>(best);
        out.sort(StoredReading.BY_TIME);
        return out;
    }

    private static void keep(PriorityQueue<StoredReading> best, int limit, StoredReading r) {
        if (best.size() < limit) {
            best.add(r);
        } else if (StoredReading.BY_TIME.compare(r, best.peek()) < 0) {
            best.poll();
            best.add(r);
        }
    }

    /** Every reading in the store, block by block (no particular order), then the rows of a pre-block store. */
    public static void scan(Connection c, Consumer<StoredReading> sink) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT point, origin, lane, payload FROM reading_block")) {
            while (rs.next()) {
                String point = rs.getString(1);
                String origin = rs.getString(2);
                Lane lane = Lane.ofCode(rs.getInt(3));
                ReadingColumns b = decode(rs.getBytes(4), point, origin, lane);
                for (int i = 0; i < b.size(); i++) {
                    sink.accept(new StoredReading(origin, lane, b.seq(i), point, b.ts(i), b.value(i), b.quality(i),
                            b.received(i)));
                }
            }
        }
        if (hasLegacyTable(c)) {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT origin, lane, seq, point, ts, vtype, v_double, v_long, v_text,"
                         + " quality, received FROM " + LEGACY_TABLE)) {
                while (rs.next()) {
                    sink.accept(legacyRow(rs));
                }
            }
        }
    }

    private static ReadingColumns decode(byte[] payload, String point, String origin, Lane lane) {
        try {
            return ReadingBlockCodec.decode(payload);
        } catch (BlockFormatException e) {
            throw new BlockFormatException("reading_block of point " + point + " from " + origin + " lane " + lane
                    + ": " + e.getMessage());
        }
    }

    static boolean hasLegacyTable(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES"
                + " WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = ?")) {
            ps.setString(1, LEGACY_TABLE);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        }
    }

    private static StoredReading legacyRow(ResultSet rs) throws SQLException {
        PointValue v = switch (rs.getInt(6)) {
            case ReadingBlockCodec.VTYPE_DOUBLE -> PointValue.of(rs.getDouble(7));
            case ReadingBlockCodec.VTYPE_LONG -> PointValue.of(rs.getLong(8));
            case ReadingBlockCodec.VTYPE_BOOL -> PointValue.of(rs.getLong(8) != 0);
            case ReadingBlockCodec.VTYPE_TEXT -> PointValue.of(rs.getString(9));
            default -> PointValue.NONE;
        };
        return new StoredReading(rs.getString(1), Lane.ofCode(rs.getInt(2)), rs.getLong(3), rs.getString(4),
                rs.getLong(5), v, rs.getInt(10), rs.getLong(11));
    }

    // ------------------------------------------------------------------ SQL view

    /**
     * {@code READING_ROWS()}, the table function behind the view {@code reading}: every reading with the
     * columns of the row-per-reading table (origin, lane, seq, point, ts, vtype, v_double, v_long,
     * v_text, quality, received). H2 reads it whole for each query, so a filter on the view costs a scan
     * of the store; for one point over a time range use {@code READINGS_OF} or {@link #query}.
     */
    public static ResultSet readingRows(Connection c) throws SQLException {
        SimpleResultSet out = columnsOnly(c) ? new SimpleResultSet() : new SimpleResultSet(new Rows(c, null));
        addColumns(out);
        return out;
    }

    /**
     * {@code READINGS_OF(point, from, to)}: the readings of one point with {@code from <= ts <= to}
     * (null: unbounded), in time order, with the view's columns; reads only the blocks that can hold them.
     */
    public static ResultSet readingsOf(Connection c, String point, Long from, Long to) throws SQLException {
        SimpleResultSet out;
        if (columnsOnly(c) || point == null) {
            out = new SimpleResultSet();
        } else {
            List<StoredReading> rows = query(c, point, from == null ? Long.MIN_VALUE : from,
                    to == null ? Long.MAX_VALUE : to, Integer.MAX_VALUE);
            out = new SimpleResultSet(new Rows(null, rows));
        }
        addColumns(out);
        return out;
    }

    private static boolean columnsOnly(Connection c) throws SQLException {
        return COLUMN_LIST_URL.equals(c.getMetaData().getURL());
    }

    private static void addColumns(SimpleResultSet rs) {
        rs.addColumn("ORIGIN", Types.VARCHAR, 128, 0);
        rs.addColumn("LANE", Types.TINYINT, 3, 0);
        rs.addColumn("SEQ", Types.BIGINT, 19, 0);
        rs.addColumn("POINT", Types.VARCHAR, 512, 0);
        rs.addColumn("TS", Types.BIGINT, 19, 0);
        rs.addColumn("VTYPE", Types.TINYINT, 3, 0);
        rs.addColumn("V_DOUBLE", Types.DOUBLE, 17, 0);
        rs.addColumn("V_LONG", Types.BIGINT, 19, 0);
        rs.addColumn("V_TEXT", Types.VARCHAR, 1_000_000, 0);
        rs.addColumn("QUALITY", Types.SMALLINT, 5, 0);
        rs.addColumn("RECEIVED", Types.BIGINT, 19, 0);
    }

    static Object[] row(StoredReading r) {
        int vtype = ReadingBlockCodec.typeOf(r.value());
        Object d = null;
        Object l = null;
        Object t = null;
        PointValue v = r.value();
        switch (vtype) {
            case ReadingBlockCodec.VTYPE_DOUBLE -> d = ((PointValue.DoubleValue) v).value();
            case ReadingBlockCodec.VTYPE_LONG -> l = ((PointValue.LongValue) v).value();
            case ReadingBlockCodec.VTYPE_BOOL -> l = ((PointValue.BoolValue) v).value() ? 1L : 0L;
            case ReadingBlockCodec.VTYPE_TEXT -> t = ((PointValue.StringValue) v).value();
            default -> { }
        }
        return new Object[] {r.origin(), (byte) r.lane().code(), r.seq(), r.point(), r.ts(), (byte) vtype, d, l, t,
                (short) r.quality(), r.received()};
    }

    /**
     * Rows for H2, produced as it reads them: from a list, or block by block from the store (then the
     * rows of a pre-block store), so the whole store is never held twice in memory.
     */
    private static final class Rows implements SimpleRowSource {
        private final Connection conn;
        private final List<StoredReading> list;
        private int listAt;
        private Statement stmt;
        private ResultSet blocks;
        private ResultSet legacy;
        private ReadingColumns block;
        private String point;
        private String origin;
        private Lane lane;
        private int at;
        private boolean done;

        Rows(Connection conn, List<StoredReading> list) {
            this.conn = conn;
            this.list = list;
        }

        @Override
        public Object[] readRow() throws SQLException {
            if (done) {
                return null;
            }
            if (list != null) {
                return listAt < list.size() ? row(list.get(listAt++)) : null;
            }
            if (stmt == null) {
                stmt = conn.createStatement();
                blocks = stmt.executeQuery("SELECT point, origin, lane, payload FROM reading_block");
            }
            while (blocks != null) {
                if (block != null && at < block.size()) {
                    int i = at++;
                    return row(new StoredReading(origin, lane, block.seq(i), point, block.ts(i), block.value(i),
                            block.quality(i), block.received(i)));
                }
                if (!blocks.next()) {
                    blocks.close();
                    blocks = null;
                    break;
                }
                point = blocks.getString(1);
                origin = blocks.getString(2);
                lane = Lane.ofCode(blocks.getInt(3));
                block = decode(blocks.getBytes(4), point, origin, lane);
                at = 0;
            }
            if (legacy == null && stmt != null && hasLegacyTable(conn)) {
                legacy = stmt.executeQuery("SELECT origin, lane, seq, point, ts, vtype, v_double, v_long, v_text,"
                        + " quality, received FROM " + LEGACY_TABLE);
            }
            if (legacy != null && legacy.next()) {
                return row(legacyRow(legacy));
            }
            close();
            return null;
        }

        @Override
        public void close() {
            done = true;
            try {
                if (stmt != null) {
                    stmt.close();
                }
            } catch (SQLException e) {
                // closing a statement of the caller's session; nothing to recover
            }
            stmt = null;
        }

        @Override
        public void reset() throws SQLException {
            throw new SQLException("the rows of READING_ROWS() are read once");
        }
    }
}
