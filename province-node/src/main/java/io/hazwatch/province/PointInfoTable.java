package io.hazwatch.province;

import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.PointInfo;
import io.hazwatch.sync.model.SyncRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The province's {@code point_info} table (docs/province-store.md): the point catalogues the edges
 * publish, one row per point-info record, written by the store's writer in the same transaction as the
 * batch's other records and held ranges.
 *
 * <p>Every record is kept rather than only the latest per point, so that the table holds each META
 * record's (origin, lane, seq) exactly once and a reconciliation can prove the lane arrived whole; an
 * edge publishes a few records per point and start, so the rows stay few. The API picks the latest of
 * each (origin, point): the highest sequence, which is the last published.
 */
final class PointInfoTable extends RecordRowTable {
    static final String CREATE = "CREATE TABLE IF NOT EXISTS point_info ("
            + "origin VARCHAR(128) NOT NULL, lane TINYINT NOT NULL, seq BIGINT NOT NULL,"
            + "point VARCHAR(512) NOT NULL, published BIGINT NOT NULL, unit VARCHAR(1024) NOT NULL,"
            + "data_type VARCHAR(1024) NOT NULL, description VARCHAR(1024), scale DOUBLE, offset_v DOUBLE,"
            + "range_low DOUBLE, range_high DOUBLE, hh DOUBLE, h DOUBLE, l DOUBLE, ll DOUBLE,"
            + "received BIGINT NOT NULL)";

    PointInfoTable(Connection writeConn) {
        super(writeConn, "INSERT INTO point_info(origin, lane, seq, point, published, unit,"
                + " data_type, description, scale, offset_v, range_low, range_high, hh, h, l, ll, received)"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    }

    /** Creates the table and its index (the latest of a point is the highest seq); with the store's schema. */
    static void createSchema(Statement s) throws SQLException {
        s.execute(CREATE);
        s.execute("CREATE INDEX IF NOT EXISTS point_info_latest ON point_info(point, origin, seq)");
    }

    /** Adds one catalogue entry to the transaction in progress. */
    void add(SyncRecord r, PointInfo pi, long receivedMillis) throws SQLException {
        PreparedStatement insert = row();
        insert.setString(1, r.origin());
        insert.setInt(2, r.lane().code());
        insert.setLong(3, r.seq());
        insert.setString(4, pi.point());
        insert.setLong(5, pi.timestampMillis());
        insert.setString(6, pi.unit());
        insert.setString(7, pi.dataType());
        insert.setString(8, pi.description().orElse(null));
        setOptional(9, pi.scale());
        setOptional(10, pi.offset());
        Optional<PointInfo.EngineeringRange> range = pi.range();
        setOptional(11, range.map(x -> OptionalDouble.of(x.low())).orElse(OptionalDouble.empty()));
        setOptional(12, range.map(x -> OptionalDouble.of(x.high())).orElse(OptionalDouble.empty()));
        setOptional(13, pi.limit(AlarmLimit.HH));
        setOptional(14, pi.limit(AlarmLimit.H));
        setOptional(15, pi.limit(AlarmLimit.L));
        setOptional(16, pi.limit(AlarmLimit.LL));
        insert.setLong(17, receivedMillis);
        addRow();
    }

    private void setOptional(int index, OptionalDouble v) throws SQLException {
        PreparedStatement insert = row();
        if (v.isPresent()) {
            insert.setDouble(index, v.getAsDouble());
        } else {
            insert.setNull(index, Types.DOUBLE);
        }
    }
}
