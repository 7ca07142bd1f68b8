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
}
