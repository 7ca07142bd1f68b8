package io.hazwatch.province;

import io.hazwatch.sync.model.Rollup;
import io.hazwatch.sync.model.SyncRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The province's {@code rollup} table (docs/province-store.md): one row per rollup record, written by
 * the store's writer in the same transaction as the batch's readings, alarms and held ranges, so it
 * keeps the store's custody promise without a second writer. De-duplication is the store's range sets,
 * as for readings: a rollup already held never reaches this table twice.
 */
final class RollupTable extends RecordRowTable {
    static final String CREATE = "CREATE TABLE IF NOT EXISTS rollup ("
            + "origin VARCHAR(128) NOT NULL, lane TINYINT NOT NULL, seq BIGINT NOT NULL,"
            + "point VARCHAR(512) NOT NULL, minute_ts BIGINT NOT NULL, cnt BIGINT NOT NULL,"
            + "min_v DOUBLE NOT NULL, max_v DOUBLE NOT NULL, mean_v DOUBLE NOT NULL, last_v DOUBLE NOT NULL,"
            + "last_ts BIGINT NOT NULL, worst_quality SMALLINT NOT NULL, last_quality SMALLINT NOT NULL,"
            + "received BIGINT NOT NULL)";

    RollupTable(Connection writeConn) {
        super(writeConn, "INSERT INTO rollup(origin, lane, seq, point, minute_ts, cnt, min_v, max_v,"
                + " mean_v, last_v, last_ts, worst_quality, last_quality, received)"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    }

    /** Creates the table and its index; called with the store's schema. */
    static void createSchema(Statement s) throws SQLException {
        s.execute(CREATE);
        s.execute("CREATE INDEX IF NOT EXISTS rollup_point_minute ON rollup(point, minute_ts)");
    }

    /** Adds one rollup to the transaction in progress. */
    void add(SyncRecord r, Rollup ru, long receivedMillis) throws SQLException {
        PreparedStatement insert = row();
        insert.setString(1, r.origin());
        insert.setInt(2, r.lane().code());
        insert.setLong(3, r.seq());
        insert.setString(4, ru.point());
        insert.setLong(5, ru.minuteStartMillis());
        insert.setLong(6, ru.count());
        insert.setDouble(7, ru.min());
        insert.setDouble(8, ru.max());
        insert.setDouble(9, ru.mean());
        insert.setDouble(10, ru.last());
        insert.setLong(11, ru.lastTimestampMillis());
        insert.setInt(12, ru.worstQuality());
        insert.setInt(13, ru.lastQuality());
        insert.setLong(14, receivedMillis);
        addRow();
    }
}
