package io.hazwatch.sync.journal;

import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.Payload;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.RecordSink;
import io.hazwatch.sync.model.Rollup;
import io.hazwatch.sync.model.StreamKey;
import io.hazwatch.sync.model.SyncRecord;
import io.hazwatch.sync.ranges.RangeSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's custody journal on an H2 MVStore file: the records it holds for its parent (per lane, in
 * arrival order) and, per stream, the sequence ranges it has ever held (its de-duplication memory and
 * its resume points). On-disk layout: docs/journal.md.
 *
 * <p>Threading: all writes go through one writer thread that applies whatever has queued up, then
 * commits and fsyncs once for the whole group (group commit) before completing any of the futures.
 * Reads of pending records ({@link #next}) may come from any thread: MVStore maps are multi-version.
 */
public final class Journal implements CustodyStore, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Journal.class);
    private static final int MAX_GROUP_OPS = 1024;
    /** Records per commit group: bounds how long an alarm can wait behind a commit in progress. */
    static final int MAX_GROUP_RECORDS = 20_000;

    private final Path file;
    private final String localOrigin;
    private final MVStore store;
    private final Map<Lane, MVMap<Long, byte[]>> pending = new EnumMap<>(Lane.class);
    private final MVMap<String, long[]> heldMap;
    private final Map<StreamKey, RangeSet> held = new HashMap<>(); // writer thread only
    /**
     * Per {@code "origin|point"}: the start of the newest minute a rollup was ever journaled here for
     * (writer thread only; persisted in {@code rollup.through} in the same commit). An origin closes a
     * point's minutes in order, so a raw reading of that point in this minute or before is summarised.
     */
    private final Map<String, Long> rollupThrough = new HashMap<>();
    private final Set<String> rollupDirty = new HashSet<>(); // writer thread only
    private final MVMap<String, Long> rollupThroughMap;
    private final AtomicLong nextPosition;
    /**
     * Positions below this are committed and fsynced; {@link #next} offers nothing at or above it. MVStore
     * maps show uncommitted writes to readers, so without this a sender could forward a record that a power
     * cut would then erase here (and this origin would reuse its sequence number for another payload).
     */
    private volatile long durableEnd;
    private final Object submitLock = new Object(); // orders submit against close: nothing enters after STOP
    private final BlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong duplicatesDropped = new AtomicLong();
    private final long quotaBytes;
    private volatile long pendingBytes; // written by the writer thread only: encoded size of what is pending, estimated at open
    private final AtomicLong evicted = new AtomicLong();
    private final MVMap<String, byte[]> corruptMap;
    /** {@code records.<laneCode>} (records in the stored blocks of a lane) and {@code bytes}, kept with each commit. */
    private final MVMap<String, Long> meta;
    /** Records in the stored blocks of each lane (written by the writer thread). */
    private final AtomicLong[] storedRecords = new AtomicLong[Lane.values().length];
    /** Records acknowledged out of blocks that still hold others, per lane (not kept on disk). */
    private final AtomicLong[] removedInBlocks = new AtomicLong[Lane.values().length];
    /**
     * Per block key: the indices of its records already acknowledged, for blocks not yet wholly so.
     * Replaced, never changed in place, so readers see a consistent set; kept in {@code removed.<lane>}
     * with the commits like any removal.
     */
    private final Map<Long, java.util.BitSet> removedOf = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Lane, MVMap<Long, long[]>> removedMaps = new EnumMap<>(Lane.class);
    /** The block each lane decoded last, so paging through a block does not decode it again. */
    private final java.util.concurrent.atomic.AtomicReferenceArray<Decoded> lastDecoded =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(Lane.values().length);
    private final Set<String> corruptSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicLong corrupted = new AtomicLong();
    private final AtomicLong queuedRecords = new AtomicLong();
    private volatile boolean closed; // no more work is taken (close() was called, or a commit failed)
    private boolean closeCalled; // guarded by submitLock

    private Journal(Path file, String localOrigin, long quotaBytes) {
        this.file = file;
        this.localOrigin = localOrigin;
        this.quotaBytes = quotaBytes;
        this.store = new MVStore.Builder()
                .fileName(file.toString())
                .autoCommitDisabled()
                .cacheSize(16)
                .open();
        meta = store.openMap("meta");
        long maxPos = -1;
        boolean counted = meta.containsKey("bytes");
        for (Lane lane : Lane.values()) {
            MVMap<Long, byte[]> m = store.openMap("pending." + lane.code());
            pending.put(lane, m);
            Long last = m.lastKey();
            if (last != null) {
                maxPos = Math.max(maxPos, last + safeCount(m.get(last)) - 1);
            }
            // a file of a build that wrote one record per entry has no counts: there, entries are records
            storedRecords[lane.code()] = new AtomicLong(counted ? meta.getOrDefault("records." + lane.code(), 0L)
                    : m.sizeAsLong());
            MVMap<Long, long[]> removed = store.openMap("removed." + lane.code());
            removedMaps.put(lane, removed);
            long gone = 0;
            for (Map.Entry<Long, long[]> e : removed.entrySet()) {
                java.util.BitSet bits = java.util.BitSet.valueOf(e.getValue());
                removedOf.put(e.getKey(), bits);
                gone += bits.cardinality();
            }
            removedInBlocks[lane.code()] = new AtomicLong(gone);
        }
        heldMap = store.openMap("held");
        corruptMap = store.openMap("corrupt");
        rollupThroughMap = store.openMap("rollup.through");
        rollupThrough.putAll(rollupThroughMap);
        for (Map.Entry<String, long[]> e : heldMap.entrySet()) {
            held.put(decodeKey(e.getKey()), RangeSet.ofFlat(e.getValue()));
        }
        nextPosition = new AtomicLong(maxPos + 1);
        durableEnd = maxPos + 1;
        pendingBytes = counted ? meta.get("bytes") : estimatePendingBytes();
        writer = new Thread(this::writerLoop, "journal-writer-" + file.getFileName());
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Opens (or creates) a journal file. {@code localOrigin} is the origin of records this node makes
     * itself through {@link #localSink()}; may be null for a pure relay.
     */
    public static Journal open(Path file, String localOrigin) {
        return open(file, localOrigin, 0);
    }

    /**
     * Opens a journal whose pending records may take at most {@code quotaBytes} (0: no quota). Over
     * the quota the oldest telemetry is evicted, in this order: BACKFILL, then CURRENT, then ROLLUP
     * (oldest first within a lane); ALARM and META records are never evicted (docs/journal.md).
     */
    public static Journal open(Path file, String localOrigin, long quotaBytes) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Journal j = new Journal(file, localOrigin, quotaBytes);
            log.info("journal {} opened: {} records pending, {} streams held", file, j.pendingCount(), j.held.size());
            return j;
        } catch (RuntimeException | java.io.IOException e) {
            throw new JournalException("cannot open journal " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    // ------------------------------------------------------------------ receiving

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

    /** A sink for records made here, numbered on {@code localOrigin}'s streams. */
    public RecordSink localSink() {
        if (localOrigin == null) {
            throw new IllegalStateException("journal " + file + " has no local origin");
        }
        return (lane, payloads) -> {
            AppendOp op = new AppendOp(lane, List.copyOf(payloads));
            submit(op);
            try {
                return op.future.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof JournalException je ? je
                        : new JournalException("append failed: " + e.getCause(), e.getCause());
            }
        };
    }

    // ------------------------------------------------------------------ sending

    /**
     * Up to {@code max} records pending on a lane with a position after {@code afterPosition}, in position
     * order. Only records already committed and fsynced are offered.
     */
    public List<Pending> next(Lane lane, long afterPosition, int max) {
        return next(lane, afterPosition, Long.MAX_VALUE, max);
    }

    /** As {@link #next(Lane, long, int)}, but only positions before {@code beforePosition}. */
    public List<Pending> next(Lane lane, long afterPosition, long beforePosition, int max) {
        MVMap<Long, byte[]> m = pending.get(lane);
        long end = Math.min(durableEnd, beforePosition);
        List<Pending> out = new ArrayList<>(Math.min(max, 256));
        long first = afterPosition + 1;
        Long start = m.floorKey(first); // the block that may hold the first position asked for
        Cursor<Long, byte[]> c = m.cursor(start != null ? start : first);
        while (out.size() < max && c.hasNext()) {
            long key = c.next();
            if (key >= end) {
                break;
            }
            byte[] bytes = c.getValue();
            List<SyncRecord> records;
            try {
                if (key + JournalForm.count(bytes) <= first) {
                    continue; // wholly before what was asked for: no need to decode it
                }
                records = decoded(lane, key, bytes);
            } catch (JournalForm.CorruptRecordException e) {
                setAside(lane, key, e);
                continue;
            }
            java.util.BitSet gone = removedOf.get(key);
            for (int i = (int) Math.max(0, first - key); i < records.size() && out.size() < max && key + i < end; i++) {
                if (gone == null || !gone.get(i)) {
                    out.add(new Pending(key + i, records.get(i)));
                }
            }
        }
        return out;
    }

    /** A block's records, decoded once while the uplink pages through it. */
    private List<SyncRecord> decoded(Lane lane, long key, byte[] bytes) {
        Decoded d = lastDecoded.get(lane.code());
        if (d != null && d.key == key && d.bytes == bytes) {
            return d.records;
        }
        List<SyncRecord> records = JournalForm.decodeBlock(bytes);
        lastDecoded.set(lane.code(), new Decoded(key, bytes, records));
        return records;
    }

    /** A block as last decoded; {@code bytes} is the entry's array, so a replaced entry never matches. */
    private record Decoded(long key, byte[] bytes, List<SyncRecord> records) {
    }

    /** Records in an entry, or 1 when its header is damaged (the sender sets it aside when it meets it). */
    private static int safeCount(byte[] bytes) {
        try {
            return JournalForm.count(bytes);
        } catch (JournalForm.CorruptRecordException e) {
            return 1;
        }
    }

    /**
     * A pending record failed its CRC or does not decode: it is moved to the {@code corrupt} map (kept for
     * inspection, never forwarded) by the writer, logged once, and counted. Its sequence stays held, so
     * the parent sees a gap, as after an eviction, rather than a damaged value.
     */
    private void setAside(Lane lane, long position, JournalForm.CorruptRecordException e) {
        if (corruptSeen.add(lane.code() + "|" + position)) {
            log.error("journal {}: pending block at position {} on lane {} is damaged ({}); set aside, not forwarded",
                    file, position, lane, e.getMessage());
            submit(new SetAsideOp(lane, position));
        }
    }

    /** Pending blocks found damaged (failed CRC or undecodable) and set aside since the journal opened. */
    public long corrupted() {
        return corrupted.get();
    }

    /** The position the next record will get: everything before it that is pending is durable. */
    public long durableEnd() {
        return durableEnd;
    }

    /** Forgets records the parent acknowledged. Not fsynced: a lost removal only causes a resend. */
    public void remove(Lane lane, long[] positions) {
        if (positions.length > 0) {
            submit(new RemoveOp(lane, positions));
        }
    }

    /** Called on the writer thread after new records became pending; must not block. */
    public void addListener(Runnable onPending) {
        listeners.add(onPending);
    }

    public long pendingCount(Lane lane) {
        return storedRecords[lane.code()].get() - removedInBlocks[lane.code()].get();
    }

    public long pendingCount() {
        long n = 0;
        for (Lane lane : Lane.values()) {
            n += pendingCount(lane);
        }
        return n;
    }

    public long commits() {
        return commits.get();
    }

    @Override
    public long queuedRecords() {
        return queuedRecords.get();
    }

    /**
     * 1 without a quota or below 40 % of it, falling linearly towards 0 at 90 % (where eviction would
     * bring it back to), and 0 from 87.5 % on: a relay whose uplink is stalled asks its children to keep
     * their backlog at home before it has to evict anything.
     */
    @Override
    public double intakeShare() {
        if (quotaBytes <= 0) {
            return 1.0;
        }
        double used = (double) pendingBytes / quotaBytes;
        double share = Math.min(1.0, (0.9 - used) / 0.5);
        return share < 0.05 ? 0.0 : share;
    }

    public long duplicatesDropped() {
        return duplicatesDropped.get();
    }

    /**
     * Stops taking work, lets the writer finish everything queued before this call (so removals and accepts
     * already handed in are done, not dropped), then closes the file. The writer is never interrupted: an
     * interrupt during file I/O closes MVStore's file channel.
     */
    @Override
    public void close() {
        synchronized (submitLock) {
            if (closeCalled) {
                return;
            }
            closeCalled = true;
            closed = true;
            queue.add(STOP); // after a failed commit the writer is gone; then this is simply never taken
        }
        try {
            writer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            log.error("journal {}: writer did not finish within 30 s; closing the file under it", file);
        }
        try {
            store.close();
        } catch (RuntimeException e) {
            log.error("journal {}: close failed; closing without a final commit", file, e);
            store.closeImmediately();
        }
    }

    // ------------------------------------------------------------------ writer thread

    private void submit(Op op) {
        synchronized (submitLock) {
            if (!closed) {
                queue.add(op);
                return;
            }
        }
        op.fail(new JournalException("journal " + file + " is closed"));
    }

    private void writerLoop() {
        List<Op> group = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                log.warn("journal {}: writer interrupted; stopping", file);
                break;
            }
            queue.drainTo(group, MAX_GROUP_OPS);
            stop = group.remove(STOP); // STOP is the last op ever queued: nothing follows it in the group
            java.util.ArrayDeque<List<Op>> parts = new java.util.ArrayDeque<>(alarmsFirst(group));
            while (!parts.isEmpty()) {
                if (!runGroup(parts.poll())) {
                    stop = true;
                    break;
                }
                if (!parts.isEmpty() && !stop && alarmWaiting()) {
                    // an alarm arrived during that commit: it goes next, ahead of the bulk still to do
                    List<Op> rest = new ArrayList<>();
                    parts.forEach(rest::addAll);
                    queue.drainTo(rest, MAX_GROUP_OPS);
                    stop = rest.remove(STOP);
                    parts = new java.util.ArrayDeque<>(alarmsFirst(rest));
                }
            }
            group.clear();
        }
        List<Op> rest = new ArrayList<>();
        synchronized (submitLock) {
            closed = true; // a failed commit ends the journal too; nothing may be queued from here on
        }
        queue.drainTo(rest);
        rest.remove(STOP);
        rest.forEach(op -> op.fail(new JournalException("journal " + file + " is closed")));
    }

    /** Applies, commits and completes one group; false when the commit failed and the journal stopped. */
    private boolean runGroup(List<Op> group) {
        Set<StreamKey> dirty = new HashSet<>();
        boolean durable = false;
        boolean newPending = false;
        List<Op> applied = new ArrayList<>(group.size());
        for (Op op : group) {
            // before apply: an op that fails half-way may have written; those writes get the fsync too
            durable |= op.needsSync();
            try {
                op.apply(this, dirty);
                applied.add(op);
                newPending |= op.addsPending();
            } catch (RuntimeException e) {
                log.error("journal {}: operation failed", file, e);
                op.fail(new JournalException("journal operation failed: " + e.getMessage(), e));
            }
        }
        try {
            if (quotaBytes > 0 && pendingBytes > quotaBytes) {
                evictOverQuota();
            }
            for (StreamKey k : dirty) {
                heldMap.put(encodeKey(k), held.get(k).toFlatArray());
            }
            for (String k : rollupDirty) {
                rollupThroughMap.put(k, rollupThrough.get(k));
            }
            rollupDirty.clear();
            if (store.hasUnsavedChanges()) {
                for (Lane lane : Lane.values()) {
                    meta.put("records." + lane.code(), storedRecords[lane.code()].get());
                }
                meta.put("bytes", pendingBytes);
            }
            if (store.hasUnsavedChanges()) {
                store.commit();
                if (durable) {
                    store.sync();
                }
                commits.incrementAndGet();
            }
            if (durable) {
                durableEnd = nextPosition.get(); // every position handed out so far is now on disk
            }
        } catch (RuntimeException e) {
            // in-memory range sets may now claim records that never reached the disk: refuse all further
            // work rather than acknowledge from a state the file does not have; a restart re-reads the file
            log.error("journal {}: commit failed; journal stopped, restart the node", file, e);
            JournalException je = new JournalException("journal commit failed: " + e.getMessage(), e);
            applied.forEach(op -> op.fail(je));
            return false;
        }
        applied.forEach(Op::complete);
        if (newPending) {
            for (Runnable l : listeners) {
                try {
                    l.run();
                } catch (RuntimeException e) {
                    log.warn("journal listener failed", e);
                }
            }
        }
        return true;
    }

    private boolean alarmWaiting() {
        for (Op op : queue) {
            if (op.carriesAlarm()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Splits what queued up into commit groups: operations carrying an alarm first, on their own, so an
     * alarm is durable (and acknowledged) without waiting for the bulk queued ahead of it; then the rest
     * in groups of at most {@link #MAX_GROUP_RECORDS} records. Order within each kind is kept.
     */
    static List<List<Op>> alarmsFirst(List<Op> ops) {
        List<Op> urgent = new ArrayList<>();
        List<List<Op>> parts = new ArrayList<>();
        List<Op> bulk = new ArrayList<>();
        int bulkRecords = 0;
        for (Op op : ops) {
            if (op.carriesAlarm()) {
                urgent.add(op);
                continue;
            }
            if (!bulk.isEmpty() && bulkRecords + op.records() > MAX_GROUP_RECORDS) {
                parts.add(bulk);
                bulk = new ArrayList<>();
                bulkRecords = 0;
            }
            bulk.add(op);
            bulkRecords += op.records();
        }
        if (!bulk.isEmpty()) {
            parts.add(bulk);
        }
        if (!urgent.isEmpty()) {
            parts.add(0, urgent);
        }
        return parts;
    }

    /**
     * The eviction order when the journal is over its quota (docs/journal.md, "Quota and eviction"):
     * <ol>
     *   <li>BACKFILL, oldest first;</li>
     *   <li>CURRENT readings a rollup journaled here summarises (their minute is at or before the newest
     *       rollup of their origin and point) or that no rollup ever will (no finite numeric value),
     *       oldest first;</li>
     *   <li>ROLLUP, oldest first;</li>
     *   <li>the remaining CURRENT readings, oldest first: minutes still open at their edge, and origins
     *       that make no rollups.</li>
     * </ol>
     * ALARM and META are never evicted. So old raw telemetry is replaced by its rollups before it is
     * dropped, and a rollup goes only when nothing summarised is left to drop.
     */
    enum EvictionStep {
        BACKFILL(Lane.BACKFILL), CURRENT_SUMMARISED(Lane.CURRENT), ROLLUP(Lane.ROLLUP), CURRENT_REST(Lane.CURRENT);

        final Lane lane;

        EvictionStep(Lane lane) {
            this.lane = lane;
        }
    }

    /**
     * Writer thread: removes telemetry in {@link EvictionStep} order until the pending records fit the
     * quota again (with a tenth of it to spare, so eviction does not run at every commit). Evicted
     * records stay in the held ranges (they were acknowledged downstream and must not be taken again);
     * they are counted and logged, and the parent will see the gap.
     */
    private void evictOverQuota() {
        long target = quotaBytes - quotaBytes / 10;
        long[] byStep = new long[EvictionStep.values().length];
        for (EvictionStep step : EvictionStep.values()) {
            if (pendingBytes <= target) {
                break;
            }
            MVMap<Long, byte[]> m = pending.get(step.lane);
            List<Long> victims = new ArrayList<>();
            long freed = 0;
            Cursor<Long, byte[]> c = m.cursor(null);
            while (pendingBytes - freed > target && c.hasNext()) {
                long key = c.next();
                byte[] bytes = c.getValue();
                if (step == EvictionStep.CURRENT_SUMMARISED && !summarised(key, bytes)) {
                    continue;
                }
                victims.add(key);
                freed += bytes.length;
            }
            for (long key : victims) {
                byStep[step.ordinal()] += dropBlock(step.lane, key);
            }
        }
        long n = 0;
        for (long k : byStep) {
            n += k;
        }
        if (n > 0) {
            evicted.addAndGet(n);
            log.warn("journal {}: over its quota of {} bytes; evicted {} records (backfill {}, summarised raw {},"
                    + " rollups {}, unsummarised raw {}; {} in all)", file, quotaBytes, n, byStep[0], byStep[1],
                    byStep[2], byStep[3], evicted.get());
        }
    }

    /**
     * Whether dropping this raw record loses nothing a rollup journaled here does not keep: a reading
     * in a minute at or before the newest rollup of its origin and point, or one no rollup takes.
     */
    private boolean summarised(long key, byte[] block) {
        List<SyncRecord> records;
        try {
            records = JournalForm.decodeBlock(block);
        } catch (JournalForm.CorruptRecordException e) {
            return false; // not this step's to judge: the sender sets it aside when it meets it
        }
        java.util.BitSet gone = removedOf.get(key);
        for (int i = 0; i < records.size(); i++) {
            if ((gone == null || !gone.get(i)) && !summarised(records.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Writer thread: stores records of one lane as blocks, at the next positions. */
    private void storeBlocks(Lane lane, List<SyncRecord> records) {
        MVMap<Long, byte[]> m = pending.get(lane);
        for (int from = 0; from < records.size(); from += JournalForm.MAX_BLOCK_RECORDS) {
            List<SyncRecord> part = records.subList(from, Math.min(records.size(), from + JournalForm.MAX_BLOCK_RECORDS));
            byte[] bytes = JournalForm.encodeBlock(part);
            m.put(nextPosition.getAndAdd(part.size()), bytes);
            pendingBytes += bytes.length;
            storedRecords[lane.code()].addAndGet(part.size());
        }
    }

    /** Writer thread: drops a whole block; returns how many of its records were still pending. */
    private long dropBlock(Lane lane, long key) {
        byte[] old = pending.get(lane).remove(key);
        if (old == null) {
            return 0;
        }
        int n = safeCount(old);
        java.util.BitSet gone = removedOf.remove(key);
        if (gone != null) {
            removedMaps.get(lane).remove(key);
        }
        int goneCount = gone == null ? 0 : gone.cardinality();
        removedInBlocks[lane.code()].addAndGet(-goneCount);
        storedRecords[lane.code()].addAndGet(-n);
        pendingBytes -= old.length;
        return n - goneCount;
    }

    private boolean summarised(SyncRecord r) {
        if (!(r.payload() instanceof Reading rd)) {
            return false;
        }
        if (!io.hazwatch.sync.rollup.RollupAggregator.aggregates(rd.value())) {
            return true;
        }
        Long through = rollupThrough.get(r.origin() + "|" + rd.point());
        return through != null && Rollup.minuteOf(rd.timestampMillis()) <= through;
    }

    /** Writer thread: notes a rollup journaled here (appended or accepted). */
    private void rolledUp(String origin, Rollup ru) {
        String key = origin + "|" + ru.point();
        Long through = rollupThrough.get(key);
        if (through == null || ru.minuteStartMillis() > through) {
            rollupThrough.put(key, ru.minuteStartMillis());
            rollupDirty.add(key);
        }
    }

    /** Records evicted to stay within the quota since the journal opened. */
    public long evicted() {
        return evicted.get();
    }

    /** Encoded size of what is pending: exact since open for what came and went, sampled for what was there. */
    public long pendingBytes() {
        return pendingBytes;
    }

    private long estimatePendingBytes() {
        long total = 0;
        for (MVMap<Long, byte[]> m : pending.values()) {
            long count = m.sizeAsLong();
            if (count == 0) {
                continue;
            }
            long sampled = 0;
            int k = 0;
            Cursor<Long, byte[]> c = m.cursor(null);
            while (k < 256 && c.hasNext()) {
                c.next();
                sampled += c.getValue().length;
                k++;
            }
            total += count * sampled / Math.max(1, k);
        }
        return total;
    }

    private RangeSet heldOf(StreamKey k) {
        return held.computeIfAbsent(k, x -> new RangeSet());
    }

    private static String encodeKey(StreamKey k) {
        return k.lane().code() + "|" + k.origin();
    }

    private static StreamKey decodeKey(String s) {
        int bar = s.indexOf('|');
        return new StreamKey(s.substring(bar + 1), Lane.ofCode(Integer.parseInt(s.substring(0, bar))));
    }

    // ------------------------------------------------------------------ operations

    /** Queued by {@link #close()} as the last op; the writer stops when it sees it. */
    private static final Op STOP = new Op() {
        @Override
        void apply(Journal j, Set<StreamKey> dirty) {
        }

        @Override
        void complete() {
        }

        @Override
        void fail(RuntimeException e) {
        }

        @Override
        boolean needsSync() {
            return false;
        }
    };

    private abstract static class Op {
        abstract void apply(Journal j, Set<StreamKey> dirty);

        abstract void complete();

        abstract void fail(RuntimeException e);

        boolean needsSync() {
            return true;
        }

        /** Whether this operation stores an alarm (it then commits ahead of bulk). */
        boolean carriesAlarm() {
            return false;
        }

        /** Records this operation writes, for sizing commit groups. */
        int records() {
            return 1;
        }

        boolean addsPending() {
            return false;
        }
    }

    private static final class AcceptOp extends Op {
        final List<SyncRecord> records;
        final CompletableFuture<Map<StreamKey, RangeSet>> future = new CompletableFuture<>();
        final Set<StreamKey> touched = new HashSet<>();
        Map<StreamKey, RangeSet> result;
        boolean added;

        private final boolean alarm;

        AcceptOp(List<SyncRecord> records) {
            this.records = records;
            this.alarm = records.stream().anyMatch(r -> r.lane() == Lane.ALARM);
        }

        @Override
        boolean carriesAlarm() {
            return alarm;
        }

        @Override
        int records() {
            return records.size();
        }

        @Override
        void apply(Journal j, Set<StreamKey> dirty) {
            Map<Lane, List<SyncRecord>> fresh = new EnumMap<>(Lane.class);
            StreamKey k = null;
            RangeSet rs = null;
            long dups = 0;
            for (SyncRecord r : records) {
                // a batch is runs of one stream: look its ranges up once per run, not per record
                if (k == null || r.lane() != k.lane() || !r.origin().equals(k.origin())) {
                    k = new StreamKey(r.origin(), r.lane());
                    rs = j.heldOf(k);
                    touched.add(k);
                }
                if (rs.contains(r.seq())) {
                    dups++;
                    continue;
                }
                fresh.computeIfAbsent(r.lane(), x -> new ArrayList<>()).add(r);
                if (r.payload() instanceof Rollup ru) {
                    j.rolledUp(r.origin(), ru);
                }
                rs.add(r.seq());
                dirty.add(k);
                added = true;
            }
            j.duplicatesDropped.addAndGet(dups);
            fresh.forEach(j::storeBlocks);
            result = new HashMap<>();
            for (StreamKey t : touched) {
                result.put(t, j.heldOf(t).copy());
            }
        }

        @Override
        boolean addsPending() {
            return added;
        }

        @Override
        void complete() {
            future.complete(result);
        }

        @Override
        void fail(RuntimeException e) {
            future.completeExceptionally(e);
        }
    }

    private static final class AppendOp extends Op {
        final Lane lane;
        final List<? extends Payload> payloads;
        final CompletableFuture<List<SyncRecord>> future = new CompletableFuture<>();
        List<SyncRecord> result;

        AppendOp(Lane lane, List<? extends Payload> payloads) {
            this.lane = lane;
            this.payloads = payloads;
        }

        @Override
        boolean carriesAlarm() {
            return lane == Lane.ALARM;
        }

        @Override
        int records() {
            return payloads.size();
        }

        @Override
        void apply(Journal j, Set<StreamKey> dirty) {
            StreamKey k = new StreamKey(j.localOrigin, lane);
            RangeSet rs = j.heldOf(k);
            long seq = rs.max() + 1;
            List<SyncRecord> out = new ArrayList<>(payloads.size());
            for (Payload p : payloads) {
                SyncRecord r = new SyncRecord(j.localOrigin, lane, seq, p);
                if (p instanceof Rollup ru) {
                    j.rolledUp(j.localOrigin, ru);
                }
                out.add(r);
                seq++;
            }
            j.storeBlocks(lane, out);
            if (!out.isEmpty()) {
                rs.add(out.get(0).seq(), seq - 1);
                dirty.add(k);
            }
            result = out;
        }

        @Override
        boolean addsPending() {
            return !result.isEmpty();
        }

        @Override
        void complete() {
            future.complete(result);
        }

        @Override
        void fail(RuntimeException e) {
            future.completeExceptionally(e);
        }
    }

    private static final class RemoveOp extends Op {
        final Lane lane;
        final long[] positions;

        RemoveOp(Lane lane, long[] positions) {
            this.lane = lane;
            this.positions = positions;
        }

        @Override
        void apply(Journal j, Set<StreamKey> dirty) {
            MVMap<Long, byte[]> m = j.pending.get(lane);
            long[] sorted = positions.clone();
            java.util.Arrays.sort(sorted);
            int i = 0;
            while (i < sorted.length) {
                Long key = m.floorKey(sorted[i]);
                byte[] bytes = key == null ? null : m.get(key);
                int n = bytes == null ? 0 : safeCount(bytes);
                if (bytes == null || sorted[i] >= key + n) {
                    i++; // not pending (any more): already removed, evicted or set aside
                    continue;
                }
                java.util.BitSet before = j.removedOf.get(key);
                java.util.BitSet bits = before == null ? new java.util.BitSet(n) : (java.util.BitSet) before.clone();
                while (i < sorted.length && sorted[i] < key + n) {
                    bits.set((int) (sorted[i] - key));
                    i++;
                }
                int now = bits.cardinality();
                if (now >= n) {
                    j.dropBlock(lane, key); // the whole block is acknowledged
                } else {
                    j.removedOf.put(key, bits);
                    j.removedMaps.get(lane).put(key, bits.toLongArray());
                    j.removedInBlocks[lane.code()].addAndGet(now - (before == null ? 0 : before.cardinality()));
                }
            }
        }

        @Override
        boolean needsSync() {
            return false;
        }

        @Override
        void complete() {
        }

        @Override
        void fail(RuntimeException e) {
            log.warn("journal removal failed; records will be resent and de-duplicated upstream", e);
        }
    }

    private static final class SetAsideOp extends Op {
        final Lane lane;
        final long position;

        SetAsideOp(Lane lane, long position) {
            this.lane = lane;
            this.position = position;
        }

        @Override
        void apply(Journal j, Set<StreamKey> dirty) {
            byte[] old = j.pending.get(lane).get(position);
            if (old != null) {
                j.corruptMap.put(lane.code() + "|" + position, old);
                j.dropBlock(lane, position);
                j.corrupted.incrementAndGet();
            }
        }

        @Override
        boolean needsSync() {
            return false;
        }

        @Override
        void complete() {
        }

        @Override
        void fail(RuntimeException e) {
            log.warn("journal: setting a damaged record aside failed; it will be found again", e);
        }
    }

    private static final class HeldOp extends Op {
        final Predicate<String> filter;
        final CompletableFuture<Map<StreamKey, RangeSet>> future = new CompletableFuture<>();
        Map<StreamKey, RangeSet> result;

        HeldOp(Predicate<String> filter) {
            this.filter = filter;
        }

        @Override
        void apply(Journal j, Set<StreamKey> dirty) {
            result = new HashMap<>();
            j.held.forEach((k, v) -> {
                if (filter.test(k.origin())) {
                    result.put(k, v.copy());
                }
            });
        }

        @Override
        boolean needsSync() {
            return false;
        }

        @Override
        void complete() {
            future.complete(result);
        }

        @Override
        void fail(RuntimeException e) {
            future.completeExceptionally(e);
        }
    }
}
