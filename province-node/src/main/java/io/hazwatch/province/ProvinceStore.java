package io.hazwatch.province;

import io.hazwatch.sync.journal.CustodyStore;
import io.hazwatch.sync.journal.JournalException;
import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.QualityCode;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.Rollup;
import io.hazwatch.sync.model.StreamKey;
import io.hazwatch.sync.model.SyncRecord;
import io.hazwatch.sync.ranges.RangeSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The province's merged store: readings and alarms of the whole province in an H2 SQL database
 * (schema: docs/province-store.md). It is the custody end of the hierarchy, so it keeps the same
 * promise as a journal: a batch is acknowledged only after its transaction committed, and a record
 * whose (origin, lane, sequence) is already held is dropped.
 *
 * <p>The range sets that drive de-duplication are written to {@code held_range} in the same transaction
 * as the records they describe, so they can never disagree with what was committed. One writer thread
 * takes every batch that has queued up and commits them in one transaction (group commit).
 */
public final class ProvinceStore implements CustodyStore, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProvinceStore.class);

    private final Path dir;
    private final Connection writeConn;
    private final String url;
    private final Clock clock;
    private final boolean fsync;
    private final Map<StreamKey, RangeSet> held = new HashMap<>(); // writer thread only
    private final Map<String, OriginStats> origins = new java.util.concurrent.ConcurrentHashMap<>();
    private final BlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private volatile boolean closed;
    private final RollupTable rollups;

    private ProvinceStore(Path dir, Clock clock, boolean fsync) throws SQLException {
        this.dir = dir;
        this.clock = clock;
        this.fsync = fsync;
        this.url = "jdbc:h2:file:" + dir.resolve("province").toAbsolutePath() + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
        this.writeConn = DriverManager.getConnection(url, "sa", "");
        writeConn.setAutoCommit(false);
        this.rollups = new RollupTable(writeConn);
        createSchema();
        rebuildHeld();
        writer = new Thread(this::writerLoop, "province-store-writer");
        writer.setDaemon(true);
        writer.start();
    }

    public static ProvinceStore open(Path dir, Clock clock) {
        return open(dir, clock, true);
    }

    /** {@code fsync}: force each commit group to disk (power-cut safe); off only for throwaway tests. */
    public static ProvinceStore open(Path dir, Clock clock, boolean fsync) {
        try {
            Files.createDirectories(dir);
            return new ProvinceStore(dir, clock, fsync);
        } catch (SQLException | java.io.IOException e) {
            throw new JournalException("cannot open province store in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A new connection for queries (readers never share the writer's connection). */
    public Connection openReader() throws SQLException {
        Connection c = DriverManager.getConnection(url, "sa", "");
        c.setReadOnly(true);
        return c;
    }

    private void createSchema() throws SQLException {
        try (Statement s = writeConn.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS reading ("
                    + "origin VARCHAR(128) NOT NULL, lane TINYINT NOT NULL, seq BIGINT NOT NULL,"
                    + "point VARCHAR(512) NOT NULL, ts BIGINT NOT NULL, vtype TINYINT NOT NULL,"
                    + "v_double DOUBLE, v_long BIGINT, v_text VARCHAR(1024), quality SMALLINT NOT NULL,"
                    + "received BIGINT NOT NULL)");
            s.execute("CREATE INDEX IF NOT EXISTS reading_point_ts ON reading(point, ts)");
            // no index on (origin, lane, seq): de-duplication is the store's range sets, not a lookup per row
            s.execute("CREATE TABLE IF NOT EXISTS alarm ("
                    + "origin VARCHAR(128) NOT NULL, lane TINYINT NOT NULL, seq BIGINT NOT NULL,"
                    + "point VARCHAR(512) NOT NULL, ts BIGINT NOT NULL, lim VARCHAR(8) NOT NULL,"
                    + "level TINYINT NOT NULL, raised BOOLEAN NOT NULL, val DOUBLE, threshold DOUBLE,"
                    + "received BIGINT NOT NULL)");
            s.execute("CREATE INDEX IF NOT EXISTS alarm_ts ON alarm(ts)");
            // the sequence ranges held per stream, written in the same transaction as the records they
            // describe, so a restart reads a few rows instead of scanning every record
            s.execute("CREATE TABLE IF NOT EXISTS held_range (origin VARCHAR(128) NOT NULL, lane TINYINT NOT NULL,"
                    + " ranges VARBINARY NOT NULL, PRIMARY KEY (origin, lane))");
            RollupTable.createSchema(s);
        }
        writeConn.commit();
    }

    private void rebuildHeld() throws SQLException {
        long n = 0;
        try (Statement s = writeConn.createStatement();
             ResultSet rs = s.executeQuery("SELECT origin, lane, ranges FROM held_range")) {
            while (rs.next()) {
                RangeSet r = RangeSet.ofFlat(unpack(rs.getBytes(3)));
                held.put(new StreamKey(rs.getString(1), Lane.ofCode(rs.getInt(2))), r);
                n += r.cardinality();
            }
        }
        held.forEach((k, rs) -> origins.computeIfAbsent(k.origin(), o -> new OriginStats()).setHeld(k.lane(), rs));
        log.info("province store {}: {} records in {} streams", dir, n, held.size());
    }

    static byte[] pack(long[] flat) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(flat.length * 8);
        for (long v : flat) {
            b.putLong(v);
        }
        return b.array();
    }

    static long[] unpack(byte[] bytes) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
        long[] flat = new long[bytes.length / 8];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = b.getLong();
        }
        return flat;
    }

    @Override
    public CompletionStage<Map<StreamKey, RangeSet>> accept(List<SyncRecord> records) {
        AcceptOp op = new AcceptOp(records);
        submit(op);
        return op.future;
    }

    @Override
    public CompletionStage<Map<StreamKey, RangeSet>> held(Predicate<String> originFilter) {
        HeldOp op = new HeldOp(originFilter);
        submit(op);
        return op.future;
    }

    /** Per origin: records held per lane, last sequence and time of the last record received. */
    public Map<String, OriginStats.Snapshot> originStats() {
        Map<String, OriginStats.Snapshot> out = new java.util.TreeMap<>();
        origins.forEach((o, s) -> out.put(o, s.snapshot()));
        return out;
    }

    public long duplicatesDropped() {
        return duplicates.get();
    }

    public long storedRecords() {
        return stored.get();
    }

    /** Rollup records committed since the store opened (not in {@link #storedRecords()}, which counts readings and alarms). */
    public long storedRollups() {
        return rollups.stored();
    }

    public long commits() {
        return commits.get();
    }

    private void submit(Op op) {
        synchronized (queue) {
            if (!closed) {
                queue.add(op);
                return;
            }
        }
        op.future.completeExceptionally(new JournalException("province store is closed"));
    }

    private void writerLoop() {
        List<Op> group = new ArrayList<>();
        try (PreparedStatement insReading = writeConn.prepareStatement(
                "INSERT INTO reading(origin, lane, seq, point, ts, vtype, v_double, v_long, v_text, quality, received)"
                        + " VALUES (?,?,?,?,?,?,?,?,?,?,?)");
             PreparedStatement insAlarm = writeConn.prepareStatement(
                     "INSERT INTO alarm(origin, lane, seq, point, ts, lim, level, raised, val, threshold, received)"
                             + " VALUES (?,?,?,?,?,?,?,?,?,?,?)");
             PreparedStatement mergeHeld = writeConn.prepareStatement(
                     "MERGE INTO held_range (origin, lane, ranges) KEY (origin, lane) VALUES (?, ?, ?)");
             Statement checkpoint = writeConn.createStatement()) {
            boolean stop = false;
            while (!stop) {
                try {
                    group.add(queue.take());
                } catch (InterruptedException e) {
                    log.error("province store writer interrupted; stopping");
                    break;
                }
                queue.drainTo(group, 1024);
                stop = group.removeIf(op -> op instanceof StopOp);
                for (List<Op> part : alarmsFirst(group)) {
                    runGroup(part, insReading, insAlarm, mergeHeld, checkpoint);
                }
                group.clear();
            }
        } catch (SQLException e) {
            log.error("province store writer cannot prepare statements", e);
            closed = true;
        }
        List<Op> rest = new ArrayList<>(group);
        queue.drainTo(rest);
        rest.forEach(op -> op.future.completeExceptionally(new JournalException("province store is closed")));
    }

    private void runGroup(List<Op> group, PreparedStatement insReading, PreparedStatement insAlarm,
                          PreparedStatement mergeHeld, Statement checkpoint) {
        long now = clock.millis();
        Map<StreamKey, RangeSet> added = new HashMap<>();
        Map<String, Long> suspect = new HashMap<>();
        int readings = 0;
        int alarms = 0;
        int rolled = 0;
        long dups = 0;
        try {
            for (Op op : group) {
                if (!(op instanceof AcceptOp a)) {
                    continue;
                }
                for (SyncRecord r : a.records) {
                    StreamKey k = new StreamKey(r.origin(), r.lane());
                    RangeSet h = held.get(k);
                    RangeSet add = added.computeIfAbsent(k, x -> new RangeSet());
                    if ((h != null && h.contains(r.seq())) || add.contains(r.seq())) {
                        dups++;
                        continue;
                    }
                    add.add(r.seq());
                    if (r.payload() instanceof Reading rd) {
                        if (QualityCode.clockSuspect(rd.quality())) {
                            suspect.merge(r.origin(), 1L, Long::sum);
                        }
                        bindReading(insReading, r, rd, now);
                        insReading.addBatch();
                        readings++;
                    } else if (r.payload() instanceof Rollup ru) {
                        rollups.add(r, ru, now);
                    } else {
                        bindAlarm(insAlarm, r, (AlarmEvent) r.payload(), now);
                        insAlarm.addBatch();
                        alarms++;
                    }
                }
            }
            if (readings > 0) {
                insReading.executeBatch();
            }
            if (alarms > 0) {
                insAlarm.executeBatch();
            }
            rolled = rollups.flush();
            for (Map.Entry<StreamKey, RangeSet> e : added.entrySet()) {
                if (e.getValue().isEmpty()) {
                    continue;
                }
                RangeSet after = held.containsKey(e.getKey()) ? held.get(e.getKey()).copy() : new RangeSet();
                after.addAll(e.getValue());
                mergeHeld.setString(1, e.getKey().origin());
                mergeHeld.setInt(2, e.getKey().lane().code());
                mergeHeld.setBytes(3, pack(after.toFlatArray()));
                mergeHeld.addBatch();
            }
            mergeHeld.executeBatch();
            writeConn.commit();
            if (fsync && readings + alarms + rolled > 0) {
                checkpoint.execute("CHECKPOINT SYNC");
            }
        } catch (SQLException | RuntimeException e) {
            log.error("province store: commit of {} batches failed", group.size(), e);
            try {
                writeConn.rollback();
                insReading.clearBatch();
                insAlarm.clearBatch();
                mergeHeld.clearBatch();
                rollups.rolledBack();
            } catch (SQLException re) {
                log.error("province store: rollback failed", re);
            }
            JournalException je = new JournalException("province store commit failed: " + e.getMessage(), e);
            group.forEach(op -> op.future.completeExceptionally(je));
            return;
        }
        commits.incrementAndGet();
        duplicates.addAndGet(dups);
        rollups.committed();
        stored.addAndGet(readings + alarms); // rollups are counted apart: storedRollups()
        suspect.forEach((o, n) -> origins.computeIfAbsent(o, x -> new OriginStats()).clockSuspect(n));
        added.forEach((k, rs) -> {
            if (!rs.isEmpty()) {
                RangeSet h = held.computeIfAbsent(k, x -> new RangeSet());
                h.addAll(rs);
                origins.computeIfAbsent(k.origin(), o -> new OriginStats()).received(k.lane(), h, rs.cardinality(), now);
            }
        });
        for (Op op : group) {
            op.complete(this);
        }
    }

    private static void bindReading(PreparedStatement ps, SyncRecord r, Reading rd, long now) throws SQLException {
        ps.setString(1, r.origin());
        ps.setInt(2, r.lane().code());
        ps.setLong(3, r.seq());
        ps.setString(4, rd.point());
        ps.setLong(5, rd.timestampMillis());
        PointValue v = rd.value();
        ps.setNull(7, Types.DOUBLE);
        ps.setNull(8, Types.BIGINT);
        ps.setNull(9, Types.VARCHAR);
        if (v instanceof PointValue.DoubleValue d) {
            ps.setInt(6, 1);
            ps.setDouble(7, d.value());
        } else if (v instanceof PointValue.LongValue l) {
            ps.setInt(6, 2);
            ps.setLong(8, l.value());
        } else if (v instanceof PointValue.BoolValue b) {
            ps.setInt(6, 3);
            ps.setLong(8, b.value() ? 1 : 0);
        } else if (v instanceof PointValue.StringValue s) {
            ps.setInt(6, 4);
            ps.setString(9, s.value());
        } else {
            ps.setInt(6, 0);
        }
        ps.setInt(10, rd.quality());
        ps.setLong(11, now);
    }

    private static void bindAlarm(PreparedStatement ps, SyncRecord r, AlarmEvent a, long now) throws SQLException {
        ps.setString(1, r.origin());
        ps.setInt(2, r.lane().code());
        ps.setLong(3, r.seq());
        ps.setString(4, a.point());
        ps.setLong(5, a.timestampMillis());
        ps.setString(6, a.limit().name());
        ps.setInt(7, a.level());
        ps.setBoolean(8, a.raised());
        ps.setDouble(9, a.value());
        ps.setDouble(10, a.threshold());
        ps.setLong(11, now);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        synchronized (queue) {
            closed = true;
            // never interrupt the writer: an interrupt closes the file channel under H2 (NIO)
            queue.add(new StopOp());
        }
        try {
            writer.join(30_000);
            writeConn.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            log.warn("closing province store", e);
        }
    }

    // ------------------------------------------------------------------ operations

    private abstract static class Op {
        final CompletableFuture<Map<StreamKey, RangeSet>> future = new CompletableFuture<>();

        abstract void complete(ProvinceStore s);
    }

    private static final class AcceptOp extends Op {
        final List<SyncRecord> records;

        AcceptOp(List<SyncRecord> records) {
            this.records = records;
        }

        @Override
        void complete(ProvinceStore s) {
            Set<StreamKey> keys = new HashSet<>();
            for (SyncRecord r : records) {
                keys.add(new StreamKey(r.origin(), r.lane()));
            }
            Map<StreamKey, RangeSet> out = new HashMap<>();
            for (StreamKey k : keys) {
                RangeSet h = s.held.get(k);
                out.put(k, h == null ? new RangeSet() : h.copy());
            }
            future.complete(out);
        }
    }

    /** Records per commit group: bounds how long an alarm can wait behind a commit in progress. */
    static final int MAX_GROUP_RECORDS = 20_000;

    /**
     * Splits what queued up into commit groups: batches carrying an alarm first, on their own, so the
     * province commits (and acknowledges) an alarm without waiting for the bulk queued ahead of it; then
     * the rest in groups of at most {@link #MAX_GROUP_RECORDS} records, in arrival order.
     */
    static List<List<Op>> alarmsFirst(List<Op> ops) {
        List<Op> urgent = new ArrayList<>();
        List<List<Op>> parts = new ArrayList<>();
        List<Op> bulk = new ArrayList<>();
        int bulkRecords = 0;
        for (Op op : ops) {
            int n = op instanceof AcceptOp a ? a.records.size() : 0;
            if (op instanceof AcceptOp a && a.records.stream().anyMatch(r -> r.lane() == Lane.ALARM)) {
                urgent.add(op);
                continue;
            }
            if (!bulk.isEmpty() && bulkRecords + n > MAX_GROUP_RECORDS) {
                parts.add(bulk);
                bulk = new ArrayList<>();
                bulkRecords = 0;
            }
            bulk.add(op);
            bulkRecords += n;
        }
        if (!bulk.isEmpty()) {
            parts.add(bulk);
        }
        if (!urgent.isEmpty()) {
            parts.add(0, urgent);
        }
        return parts;
    }

    /** Marks the end of the queue: the writer finishes what came before it and stops. */
    private static final class StopOp extends Op {
        @Override
        void complete(ProvinceStore s) {
        }
    }

    private static final class HeldOp extends Op {
        final Predicate<String> filter;

        HeldOp(Predicate<String> filter) {
            this.filter = filter;
        }

        @Override
        void complete(ProvinceStore s) {
            Map<StreamKey, RangeSet> out = new HashMap<>();
            s.held.forEach((k, v) -> {
                if (filter.test(k.origin())) {
                    out.put(k, v.copy());
                }
            });
            future.complete(out);
        }
    }
}
