package io.hazwatch.sync.journal;

import io.hazwatch.sync.model.StreamKey;
import io.hazwatch.sync.model.SyncRecord;
import io.hazwatch.sync.ranges.RangeSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * Where a receiver puts what its children send: a relay's journal, or the province's store.
 *
 * <p>Contract (custody, docs/sync-protocol.md section 3): {@link #accept} completes only after every
 * record in the list is durable here or was already held; records already held are dropped, never
 * stored twice. The ranges it completes with are what the receiver may acknowledge.
 */
public interface CustodyStore {

    /**
     * Stores the records not yet held, durably. Completes with, for each stream in {@code records},
     * the full set of sequence ranges now held for it. Completes exceptionally when nothing could be
     * made durable; then nothing may be acknowledged.
     */
    CompletionStage<Map<StreamKey, RangeSet>> accept(List<SyncRecord> records);

    /** Resume points: the ranges held for every stream whose origin passes the filter. */
    CompletionStage<Map<StreamKey, RangeSet>> held(Predicate<String> originFilter);

    /**
     * Records handed to {@link #accept} whose commit has not completed yet: the receiver's queue, which
     * its credit to children keeps bounded (docs/sync-protocol.md section 8.3). Any thread.
     */
    default long queuedRecords() {
        return 0;
    }

    /**
     * The share, 0 to 1, of its normal intake this store wants now: 1 while it has room; a relay's
     * journal lowers it as its pending records approach the journal's quota (its own uplink is not
     * draining), so its children keep their backlog at home instead of pushing it into eviction here.
     * Any thread.
     */
    default double intakeShare() {
        return 1.0;
    }
}
