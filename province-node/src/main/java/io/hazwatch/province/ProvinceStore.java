package io.hazwatch.province;

import io.hazwatch.sync.journal.CustodyStore;
import io.hazwatch.sync.journal.JournalException;
import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.QualityCode;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.PointInfo;
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
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
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
 *
 * <p>Readings are written as blocks, one {@code reading_block} row per (point, origin, lane) per commit
 * group ({@link ReadingBlockCodec}), because a row and an index entry per reading was half of the
 * province's CPU at full rate; {@link ReadingBlocks} reads them back, and the view {@code reading}
 * keeps the row-per-reading columns for SQL. Alarms stay one row each.
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
    private final AtomicLong queuedRecords = new AtomicLong();
    private volatile boolean closed;
    private final RollupTable rollups;
    private final PointInfoTable pointInfo;

    private ProvinceStore(Path dir, Clock clock, boolean fsync) throws SQLException {
        this.dir = dir;
        this.clock = clock;
        this.fsync = fsync;
        this.url = "jdbc:h2:file:" + dir.resolve("province").toAbsolutePath() + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
        this.writeConn = DriverManager.getConnection(url, "sa", "");
        writeConn.setAutoCommit(false);
        this.rollups = new RollupTable(writeConn);
        this.pointInfo = new PointInfoTable(writeConn);
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
            if (isBaseTable(s, "READING")) {
                // a store written before blocks: keep its rows where they are, under another name; the
                // view and the queries read them alongside the blocks (docs/province-store.md, Migration)
                log.warn("province store {}: readings stored one row each (written before reading blocks);"
                        + " keeping them readable as table {}, new readings go to reading_block", dir,
                        ReadingBlocks.LEGACY_TABLE);
                s.execute("ALTER TABLE reading RENAME TO " + ReadingBlocks.LEGACY_TABLE);
            }
            // one row per (point, origin, lane) per commit group, the readings column-coded in payload
            s.execute("CREATE TABLE IF NOT EXISTS reading_block ("
                    + "point VARCHAR(512) NOT NULL, origin VARCHAR(128) NOT NULL, lane TINYINT NOT NULL,"
                    + "seq_first BIGINT NOT NULL, seq_last BIGINT NOT NULL,"
                    + "ts_first BIGINT NOT NULL, ts_last BIGINT NOT NULL, n INT NOT NULL,"
                    + "payload VARBINARY NOT NULL)");
            s.execute("CREATE INDEX IF NOT EXISTS reading_block_point_ts ON reading_block(point, ts_last)");
            // the old columns for ad-hoc SQL: a view over the blocks, decoded by a table function
            s.execute("CREATE ALIAS IF NOT EXISTS READING_ROWS FOR 'io.hazwatch.province.ReadingBlocks.readingRows'");
            s.execute("CREATE ALIAS IF NOT EXISTS READINGS_OF FOR 'io.hazwatch.province.ReadingBlocks.readingsOf'");
            s.execute("CREATE OR REPLACE VIEW reading AS SELECT * FROM READING_ROWS()");
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
            PointInfoTable.createSchema(s);
        }
        writeConn.commit();
    }

    private static boolean isBaseTable(Statement s, String name) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT TABLE_TYPE FROM INFORMATION_SCHEMA.TABLES"
                + " WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = '" + name + "'")) {
            return rs.next() && "BASE TABLE".equals(rs.getString(1));
        }
    }

    /**
     * Readings of {@code point} with {@code from <= ts <= to} in time order (then origin, sequence),
     * at most {@code limit}; read through a connection of its own.
     */
    public List<StoredReading> readings(String point, long from, long to, int limit) throws SQLException {
        try (Connection c = openReader()) {
            return ReadingBlocks.query(c, point, from, to, limit);
        }
    }

    /** Every reading held, in no particular order, through a connection of its own. */
    public void forEachReading(Consumer<StoredReading> sink) throws SQLException {
        try (Connection c = openReader()) {
            ReadingBlocks.scan(c, sink);
        }
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
        queuedRecords.addAndGet(records.size());
        submit(op);
        // the caller's continuation runs after the count drops: a credit computed there sees the batch gone
        return op.future.whenComplete((ok, err) -> queuedRecords.addAndGet(-records.size()));
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

    /** Point-info (catalogue) records committed since open. */
    public long storedPointInfo() {
        return pointInfo.stored();
    }

    public long commits() {
        return commits.get();
    }

    @Override
    public long queuedRecords() {
        return queuedRecords.get();
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
                "INSERT INTO reading_block(point, origin, lane, seq_first, seq_last, ts_first, ts_last, n, payload)"
                        + " VALUES (?,?,?,?,?,?,?,?,?)");
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
                java.util.ArrayDeque<List<Op>> parts = new java.util.ArrayDeque<>(alarmsFirst(group));
                while (!parts.isEmpty()) {
                    List<Op> notRun = runGroup(parts.poll(), insReading, insAlarm, mergeHeld, checkpoint);
                    if ((!parts.isEmpty() || !notRun.isEmpty()) && alarmWaiting()) {
                        // an alarm arrived during that commit: it goes next, ahead of the bulk still to do
                        List<Op> rest = new ArrayList<>(notRun);
                        parts.forEach(rest::addAll);
                        queue.drainTo(rest, 1024);
                        stop |= rest.removeIf(op -> op instanceof StopOp);
                        parts = new java.util.ArrayDeque<>(alarmsFirst(rest));
                    }
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

    /**
     * Inserts, commits and completes one commit group. Batches are coded into blocks one by one; when an
     * alarm is waiting after a batch was taken in, the group is cut there and committed, so the alarm
     * waits for the blocks taken so far rather than a whole group's. Returns the operations of the group it did not run (empty
     * unless it was cut); a failed commit fails the whole group.
     */
    private List<Op> runGroup(List<Op> group, PreparedStatement insReading, PreparedStatement insAlarm,
                              PreparedStatement mergeHeld, Statement checkpoint) {
        long now = clock.millis();
        List<Op> notRun = List.of();
        Map<StreamKey, RangeSet> added = new HashMap<>();
        Map<String, Long> suspect = new HashMap<>();
        Map<BlockKey, ReadingColumns> open = new LinkedHashMap<>();
        List<Map.Entry<BlockKey, ReadingColumns>> full = new ArrayList<>();
        int readings = 0;
        int alarms = 0;
        int rolled = 0;
        long dups = 0;
        try {
            for (int i = 0; i < group.size(); i++) {
                Op op = group.get(i);
                if (i > 0 && op instanceof AcceptOp && alarmWaiting()) {
                    notRun = new ArrayList<>(group.subList(i, group.size()));
                    group = group.subList(0, i);
                    break;
                }
                if (!(op instanceof AcceptOp a)) {
                    continue;
                }
                StreamKey k = null;
                RangeSet h = null;
                RangeSet add = null;
                for (SyncRecord r : a.records) {
                    // a batch is runs of one stream: look its range sets up once per run, not per record
                    if (k == null || r.lane() != k.lane() || !r.origin().equals(k.origin())) {
                        k = new StreamKey(r.origin(), r.lane());
                        h = held.get(k);
                        add = added.computeIfAbsent(k, x -> new RangeSet());
                    }
                    if ((h != null && h.contains(r.seq())) || add.contains(r.seq())) {
                        dups++;
                        continue;
                    }
                    add.add(r.seq());
                    if (r.payload() instanceof Reading rd) {
                        if (QualityCode.clockSuspect(rd.quality())) {
                            suspect.merge(r.origin(), 1L, Long::sum);
                        }
                        BlockKey key = new BlockKey(rd.point(), r.origin(), r.lane());
                        ReadingColumns block = open.get(key);
                        if (block != null && (block.size() == ReadingBlockCodec.MAX_READINGS
                                || !block.fitsSpan(rd.timestampMillis(), ReadingBlocks.MAX_SPAN_MILLIS))) {
                            full.add(Map.entry(key, block));
                            block = null;
                        }
                        if (block == null) {
                            block = new ReadingColumns(16);
                            open.put(key, block);
                        }
                        block.add(r.seq(), rd.timestampMillis(), rd.value(), rd.quality(), now);
                        readings++;
                    } else if (r.payload() instanceof Rollup ru) {
                        rollups.add(r, ru, now);
                    } else if (r.payload() instanceof PointInfo pi) {
                        pointInfo.add(r, pi, now);
                    } else {
                        bindAlarm(insAlarm, r, (AlarmEvent) r.payload(), now);
                        insAlarm.addBatch();
                        alarms++;
                    }
                }
            }
            full.addAll(open.entrySet());
            for (Map.Entry<BlockKey, ReadingColumns> b : full) {
                bindBlock(insReading, b.getKey(), b.getValue());
                insReading.addBatch();
            }
            if (!full.isEmpty()) {
                insReading.executeBatch();
            }
            if (alarms > 0) {
                insAlarm.executeBatch();
            }
            rolled = rollups.flush() + pointInfo.flush();
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
                pointInfo.rolledBack();
            } catch (SQLException re) {
                log.error("province store: rollback failed", re);
            }
            JournalException je = new JournalException("province store commit failed: " + e.getMessage(), e);
            group.forEach(op -> op.future.completeExceptionally(je));
            notRun.forEach(op -> op.future.completeExceptionally(je));
            return List.of();
        }
        commits.incrementAndGet();
        duplicates.addAndGet(dups);
        rollups.committed();
        pointInfo.committed();
        stored.addAndGet(readings + alarms); // counted apart: storedRollups(), storedPointInfo()
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
        return notRun;
    }

    private static void bindBlock(PreparedStatement ps, BlockKey k, ReadingColumns b) throws SQLException {
        ps.setString(1, k.point());
        ps.setString(2, k.origin());
        ps.setInt(3, k.lane().code());
        ps.setLong(4, b.minSeq());
        ps.setLong(5, b.maxSeq());
        ps.setLong(6, b.minTs());
        ps.setLong(7, b.maxTs());
        ps.setInt(8, b.size());
        ps.setBytes(9, ReadingBlockCodec.encode(b));
    }

    /** The readings of one commit group that share a block. */
    private record BlockKey(String point, String origin, Lane lane) { }

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
        /** Whether the batch carries an alarm: it then commits ahead of bulk, in a commit of its own. */
        final boolean alarm;

        AcceptOp(List<SyncRecord> records) {
            this.records = records;
            this.alarm = records.stream().anyMatch(r -> r.lane() == Lane.ALARM);
        }

        @Override
        void complete(ProvinceStore s) {
            Set<StreamKey> keys = new HashSet<>();
            SyncRecord last = null;
            for (SyncRecord r : records) {
                // a batch is runs of one stream: look a key up once per run, not once per record
                if (last == null || r.lane() != last.lane() || !r.origin().equals(last.origin())) {
                    keys.add(new StreamKey(r.origin(), r.lane()));
                    last = r;
                }
            }
            Map<StreamKey, RangeSet> out = new HashMap<>();
            for (StreamKey k : keys) {
                RangeSet h = s.held.get(k);
                out.put(k, h == null ? new RangeSet() : h.copy());
            }
            future.complete(out);
        }
    }

    private boolean alarmWaiting() {
        for (Op op : queue) {
            if (op instanceof AcceptOp a && a.alarm) {
                return true;
            }
        }
        return false;
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
            if (op instanceof AcceptOp a && a.alarm) {
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
