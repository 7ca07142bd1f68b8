package io.hazwatch.province;

import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import java.util.Comparator;

/**
 * One reading as the province holds it: its identity given at the origin, the reading itself, and
 * when the province committed it ({@code received}, epoch ms).
 */
public record StoredReading(String origin, Lane lane, long seq, String point, long ts, PointValue value,
                            int quality, long received) {

    /** The order of range queries: source time, then identity, so equal times come out the same way every time. */
    public static final Comparator<StoredReading> BY_TIME = Comparator.comparingLong(StoredReading::ts)
            .thenComparing(StoredReading::origin)
            .thenComparingLong(StoredReading::seq)
            .thenComparingInt(r -> r.lane().code());
}
