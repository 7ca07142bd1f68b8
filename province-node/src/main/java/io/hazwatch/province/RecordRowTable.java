package io.hazwatch.province;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A table of the province store with one row per record of some kind, written by the store's writer in
 * the transaction of the batch that brought the records: rows are batched as they are added, written
 * by {@link #flush()} before the store commits, and counted as stored once it has committed.
 * De-duplication is the store's range sets, so a record already held never reaches such a table twice.
 * Writer thread only, but {@link #stored()}.
 */
abstract class RecordRowTable {
    private final Connection conn;
    private final String insertSql;
    private PreparedStatement insert;
    private int batched;
    private long flushed;
    private final AtomicLong stored = new AtomicLong();

    RecordRowTable(Connection writeConn, String insertSql) {
        this.conn = writeConn;
        this.insertSql = insertSql;
    }

    /** The insert statement for the next row, its parameters to set before {@link #addRow()}. */
    final PreparedStatement row() throws SQLException {
        if (insert == null) {
            insert = conn.prepareStatement(insertSql);
        }
        return insert;
    }

    /** Adds the row whose parameters were set on {@link #row()} to the transaction in progress. */
    final void addRow() throws SQLException {
        insert.addBatch();
        batched++;
    }

    /** Writes what was added, before the store commits; returns how many rows. */
    final int flush() throws SQLException {
        int n = batched;
        if (n > 0) {
            insert.executeBatch();
        }
        batched = 0;
        flushed = n;
        return n;
    }

    /** After the commit: the rows flushed are stored. */
    final void committed() {
        stored.addAndGet(flushed);
        flushed = 0;
    }

    /** After a rollback: forget what was added or flushed. */
    final void rolledBack() {
        batched = 0;
        flushed = 0;
        if (insert != null) {
            try {
                insert.clearBatch();
            } catch (SQLException e) {
                // the statement is reset with the next batch anyway
            }
        }
    }

    /** Rows committed since the store opened. */
    final long stored() {
        return stored.get();
    }
}
