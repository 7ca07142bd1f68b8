package io.hazwatch.province;

import io.hazwatch.node.NodeRuntime;
import io.hazwatch.node.http.HttpApi;
import io.hazwatch.node.http.HttpApi.ApiException;
import io.hazwatch.sync.model.PointValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The province's JSON API (docs/province-api.md): status per child and per origin, readings and rollups of a
 * point over a time range, recent alarms, the edges' point catalogues. Bad parameters get a 400 naming the parameter.
 */
final class ProvinceApi {
    static final int MAX_ROWS = 10_000;

    private final NodeRuntime runtime;
    private final ProvinceStore store;

    ProvinceApi(NodeRuntime runtime, ProvinceStore store) {
        this.runtime = runtime;
        this.store = store;
    }

    void install(HttpApi http) {
        http.route("/status", q -> status());
        http.route("/api/readings", this::readings);
        http.route("/api/alarms", this::alarms);
        http.route("/api/rollups", this::rollups);
        http.route("/api/points", this::points);
    }

    Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node", runtime.status());
        out.put("storedRecords", store.storedRecords());
        out.put("storedRollups", store.storedRollups());
        out.put("storedPointInfo", store.storedPointInfo());
        out.put("duplicatesDropped", store.duplicatesDropped());
        out.put("commits", store.commits());
        out.put("origins", store.originStats());
        return out;
    }

    private Object readings(Map<String, String> q) throws ApiException {
        PointRange range = PointRange.of(q);
        Page page = new Page(intParam(q, "limit", 1000, 1, MAX_ROWS));
        try {
            // one more than asked: tells whether anything is left out
            for (StoredReading r : store.readings(range.point(), range.from(), range.to(), page.limit + 1)) {
                if (!page.room()) {
                    break;
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("origin", r.origin());
                row.put("seq", r.seq());
                row.put("ts", r.ts());
                row.put("time", Instant.ofEpochMilli(r.ts()).toString());
                row.put("value", jsonValue(r.value()));
                row.put("quality", r.quality());
                page.rows.add(row);
            }
        } catch (SQLException | BlockFormatException e) {
            throw new ApiException(503, "store unavailable: " + e.getMessage());
        }
        return page.result(range.head(), "readings");
    }

    /** Per-minute rollups of one point, oldest minute first; {@code from}/{@code to} bound the minute start. */
    private Object rollups(Map<String, String> q) throws ApiException {
        PointRange range = PointRange.of(q);
        Page page = new Page(intParam(q, "limit", 1000, 1, MAX_ROWS));
        try (Connection c = store.openReader();
             PreparedStatement ps = c.prepareStatement("SELECT origin, seq, minute_ts, cnt, min_v, max_v, mean_v, last_v,"
                     + " last_ts, worst_quality, last_quality FROM rollup WHERE point = ? AND minute_ts >= ? AND minute_ts <= ?"
                     + " ORDER BY minute_ts, origin, seq LIMIT ?")) {
            ps.setString(1, range.point());
            ps.setLong(2, range.from());
            ps.setLong(3, range.to());
            ps.setInt(4, page.limit + 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && page.room()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("origin", rs.getString(1));
                    row.put("seq", rs.getLong(2));
                    row.put("minute", rs.getLong(3));
                    row.put("time", Instant.ofEpochMilli(rs.getLong(3)).toString());
                    row.put("count", rs.getLong(4));
                    row.put("min", rs.getDouble(5));
                    row.put("max", rs.getDouble(6));
                    row.put("mean", rs.getDouble(7));
                    row.put("last", rs.getDouble(8));
                    row.put("lastTs", rs.getLong(9));
                    row.put("worstQuality", rs.getInt(10));
                    row.put("lastQuality", rs.getInt(11));
                    page.rows.add(row);
                }
            }
        } catch (SQLException e) {
            throw new ApiException(503, "store unavailable: " + e.getMessage());
        }
        return page.result(range.head(), "rollups");
    }

    /**
     * The point catalogue: the latest entry (highest sequence) of every (origin, point), by point;
     * {@code origin} keeps one edge's, {@code prefix} the points whose id starts with it.
     */
    private Object points(Map<String, String> q) throws ApiException {
        String origin = q.get("origin");
        String prefix = q.getOrDefault("prefix", "");
        Page page = new Page(intParam(q, "limit", 1000, 1, MAX_ROWS));
        String like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        try (Connection c = store.openReader();
             PreparedStatement ps = c.prepareStatement("SELECT p.origin, p.seq, p.point, p.published, p.unit,"
                     + " p.data_type, p.description, p.scale, p.offset_v, p.range_low, p.range_high, p.hh, p.h, p.l, p.ll"
                     + " FROM point_info p JOIN (SELECT origin, point, MAX(seq) AS seq FROM point_info"
                     + " WHERE point LIKE ? ESCAPE '\\'" + (origin == null ? "" : " AND origin = ?")
                     + " GROUP BY origin, point) m"
                     + " ON p.origin = m.origin AND p.point = m.point AND p.seq = m.seq"
                     + " ORDER BY p.point, p.origin LIMIT ?")) {
            int at = 1;
            ps.setString(at++, like);
            if (origin != null) {
                ps.setString(at++, origin);
            }
            ps.setInt(at, page.limit + 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && page.room()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("origin", rs.getString(1));
                    row.put("seq", rs.getLong(2));
                    row.put("point", rs.getString(3));
                    row.put("published", rs.getLong(4));
                    row.put("time", Instant.ofEpochMilli(rs.getLong(4)).toString());
                    row.put("unit", rs.getString(5));
                    row.put("dataType", rs.getString(6));
                    row.put("description", rs.getString(7));
                    row.put("scale", nullableDouble(rs, 8));
                    row.put("offset", nullableDouble(rs, 9));
                    Double low = nullableDouble(rs, 10);
                    Double high = nullableDouble(rs, 11);
                    Map<String, Object> range = null;
                    if (low != null) {
                        range = new LinkedHashMap<>();
                        range.put("low", low);
                        range.put("high", high);
                    }
                    row.put("range", range);
                    Map<String, Object> limits = new LinkedHashMap<>();
                    String[] names = {"HH", "H", "L", "LL"};
                    for (int i = 0; i < names.length; i++) {
                        Double v = nullableDouble(rs, 12 + i);
                        if (v != null) {
                            limits.put(names[i], v);
                        }
                    }
                    row.put("limits", limits);
                    page.rows.add(row);
                }
            }
        } catch (SQLException e) {
            throw new ApiException(503, "store unavailable: " + e.getMessage());
        }
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("origin", origin);
        head.put("prefix", prefix);
        return page.result(head, "points");
    }

    /** The point and time range of a per-point query ({@code point}, {@code from}, {@code to}), checked. */
    private record PointRange(String point, long from, long to) {
        static PointRange of(Map<String, String> q) throws ApiException {
            String point = q.get("point");
            if (point == null || point.isBlank()) {
                throw new ApiException(400, "parameter 'point' is required, e.g. point=130102-E0001/tank-farm/tank1.level");
            }
            long from = time(q, "from", 0);
            long to = time(q, "to", Long.MAX_VALUE);
            if (to < from) {
                throw new ApiException(400, "parameter 'to' (" + to + ") is before 'from' (" + from + ")");
            }
            return new PointRange(point, from, to);
        }

        Map<String, Object> head() {
            Map<String, Object> head = new LinkedHashMap<>();
            head.put("point", point);
            head.put("from", from);
            head.put("to", to == Long.MAX_VALUE ? null : to);
            return head;
        }
    }

    /** The rows of an answer, at most {@code limit}; the query asks for one more to learn whether any were left out. */
    private static final class Page {
        final int limit;
        final List<Map<String, Object>> rows = new ArrayList<>();
        private boolean truncated;

        Page(int limit) {
            this.limit = limit;
        }

        /** Whether another row fits; once {@code limit} rows are in, the answer is marked truncated. */
        boolean room() {
            if (rows.size() < limit) {
                return true;
            }
            truncated = true;
            return false;
        }

        Map<String, Object> result(Map<String, Object> head, String key) {
            head.put("count", rows.size());
            head.put("truncated", truncated);
            head.put(key, rows);
            return head;
        }
    }

    private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    private Object alarms(Map<String, String> q) throws ApiException {
        long since = time(q, "since", 0);
        int limit = intParam(q, "limit", 100, 1, MAX_ROWS);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = store.openReader();
             PreparedStatement ps = c.prepareStatement("SELECT origin, seq, point, ts, lim, level, raised, val,"
                     + " threshold, received FROM alarm WHERE ts >= ? ORDER BY ts DESC, origin, seq LIMIT ?")) {
            ps.setLong(1, since);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("origin", rs.getString(1));
                    row.put("seq", rs.getLong(2));
                    row.put("point", rs.getString(3));
                    row.put("ts", rs.getLong(4));
                    row.put("time", Instant.ofEpochMilli(rs.getLong(4)).toString());
                    row.put("limit", rs.getString(5));
                    row.put("level", rs.getInt(6));
                    row.put("raised", rs.getBoolean(7));
                    row.put("value", rs.getDouble(8));
                    row.put("threshold", rs.getDouble(9));
                    row.put("receivedLagMillis", rs.getLong(10) - rs.getLong(4));
                    rows.add(row);
                }
            }
        } catch (SQLException e) {
            throw new ApiException(503, "store unavailable: " + e.getMessage());
        }
        return Map.of("count", rows.size(), "alarms", rows);
    }

    private static Object jsonValue(PointValue v) {
        if (v instanceof PointValue.DoubleValue d) {
            return d.value();
        }
        if (v instanceof PointValue.LongValue l) {
            return l.value();
        }
        if (v instanceof PointValue.BoolValue b) {
            return b.value();
        }
        if (v instanceof PointValue.StringValue t) {
            return t.value();
        }
        return null;
    }

    /** Epoch milliseconds or an ISO-8601 instant. */
    static long time(Map<String, String> q, String name, long dflt) throws ApiException {
        String v = q.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            try {
                return Instant.parse(v).toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw new ApiException(400, "parameter '" + name + "' must be epoch milliseconds or an ISO-8601"
                        + " instant such as 2026-11-29T08:00:00Z, got '" + v + "'");
            }
        }
    }

    static int intParam(Map<String, String> q, String name, int dflt, int min, int max) throws ApiException {
        String v = q.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new ApiException(400, "parameter '" + name + "' must be " + min + ".." + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ApiException(400, "parameter '" + name + "' must be an integer, got '" + v + "'");
        }
    }
}
