package io.hazwatch.dist;

import io.hazwatch.sync.journal.Journal;
import io.hazwatch.sync.model.StreamKey;
import io.hazwatch.sync.ranges.RangeSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Counts, from the data itself, what the edges generated against what the province holds: the
 * generated sequence ranges come from each edge's journal (an origin's journal remembers every
 * sequence it ever numbered), the held ones and the duplicate rows from the province's tables.
 * Run only when every process has stopped.
 */
record Reconciliation(Map<String, Row> rows) {

    /** Per origin. */
    record Row(long generated, long held, long missing, long duplicates) {
    }

    long generated() {
        return rows.values().stream().mapToLong(Row::generated).sum();
    }

    long held() {
        return rows.values().stream().mapToLong(Row::held).sum();
    }

    long missing() {
        return rows.values().stream().mapToLong(Row::missing).sum();
    }

    long duplicates() {
        return rows.values().stream().mapToLong(Row::duplicates).sum();
    }

    static Reconciliation of(Map<String, Path> edgeJournals, Path provinceDb) throws Exception {
        Map<StreamKey, RangeSet> generated = new HashMap<>();
        for (Map.Entry<String, Path> e : edgeJournals.entrySet()) {
            if (!Files.exists(e.getValue())) {
                continue;
            }
            try (Journal j = Journal.open(e.getValue(), e.getKey())) {
                generated.putAll(j.held(origin -> origin.equals(e.getKey())).toCompletableFuture()
                        .get(30, TimeUnit.SECONDS));
            }
        }
        Map<StreamKey, RangeSet> held = new HashMap<>();
        Map<String, Long> dupRows = new HashMap<>();
        String url = "jdbc:h2:file:" + provinceDb.toAbsolutePath() + ";ACCESS_MODE_DATA=r";
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            for (String table : List.of("reading", "alarm", "rollup", "point_info")) {
                try (ResultSet rs = s.executeQuery("SELECT origin, lane, seq, COUNT(*) FROM " + table
                        + " GROUP BY origin, lane, seq")) {
                    while (rs.next()) {
                        StreamKey k = new StreamKey(rs.getString(1),
                                io.hazwatch.sync.model.Lane.ofCode(rs.getInt(2)));
                        held.computeIfAbsent(k, x -> new RangeSet()).add(rs.getLong(3));
                        long copies = rs.getLong(4);
                        if (copies > 1) {
                            dupRows.merge(k.origin(), copies - 1, Long::sum);
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new SQLException("cannot read the province store " + provinceDb + ": " + e.getMessage(), e);
        }
        Map<String, long[]> acc = new TreeMap<>();
        generated.forEach((k, gen) -> {
            long[] a = acc.computeIfAbsent(k.origin(), o -> new long[4]);
            RangeSet h = held.getOrDefault(k, new RangeSet());
            long missing = 0;
            for (int i = 0; i < gen.rangeCount(); i++) {
                missing += h.missingIn(gen.lo(i), gen.hi(i)).cardinality();
            }
            a[0] += gen.cardinality();
            a[1] += gen.cardinality() - missing;
            a[2] += missing;
        });
        dupRows.forEach((o, d) -> acc.computeIfAbsent(o, x -> new long[4])[3] += d);
        Map<String, Row> rows = new TreeMap<>();
        acc.forEach((o, a) -> rows.put(o, new Row(a[0], a[1], a[2], a[3])));
        return new Reconciliation(rows);
    }
}
