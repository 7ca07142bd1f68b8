package io.hazwatch.sync.journal;

import io.hazwatch.sync.model.SyncRecord;
import io.hazwatch.sync.wire.Frame;
import io.hazwatch.sync.wire.FrameCodec;
import io.hazwatch.sync.wire.ProtocolException;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The journal form of pending records (docs/journal.md, "Journal form"). What the journal writes is a
 * <b>block</b>: the records of one lane that one append or one accepted batch brought, under one key:
 *
 * <pre>
 *   u8   0xC2            marker
 *   u32  crc             CRC-32C of everything after it (big-endian)
 *   u32  count           records in the block
 *   ...  body            a BATCH frame body of those records, batch id 0 (FrameCodec, sync-protocol.md 4.6)
 * </pre>
 *
 * One entry per block instead of one per record is what lets a relay keep up: one B-tree insert and one
 * delete per batch, and the strings (origin, point names) of a block are written and decoded once.
 *
 * <p>MVStore checks its chunks' headers and footers, which catches a torn write at the end of the file,
 * but not a bit flipped inside a page that was written whole (a failing flash card, a bad sector read
 * back wrong). The CRC catches that per block, so a damaged block is set aside and reported instead of
 * being forwarded as if it were good, or throwing in the uplink.
 *
 * <p>Older builds wrote one record per entry: {@code 0xC1}, its CRC-32C, then the record as
 * {@link FrameCodec#encodeRecord} writes it; the first builds wrote the bare record, which starts with
 * its string table's count (1 or 2). Both are still read, as blocks of one.
 */
final class JournalForm {
    static final byte MARKER = (byte) 0xC1;
    static final byte BLOCK_MARKER = (byte) 0xC2;
    static final int HEADER = 5;
    static final int BLOCK_HEADER = 9;
    /** Records per block at most: an accepted batch or an append larger than this takes several. */
    static final int MAX_BLOCK_RECORDS = 4096;

    private JournalForm() {
    }

    /** A block of records, all of one lane, at most {@link #MAX_BLOCK_RECORDS}. */
    static byte[] encodeBlock(List<SyncRecord> records) {
        byte[] body = FrameCodec.encode(new Frame.Batch(0, records));
        byte[] out = new byte[BLOCK_HEADER + body.length];
        out[0] = BLOCK_MARKER;
        putInt(out, 5, records.size());
        System.arraycopy(body, 0, out, BLOCK_HEADER, body.length);
        putInt(out, 1, crc(out, 5, out.length - 5));
        return out;
    }

    /**
     * Records in an entry, read from its header without decoding it (1 for the one-record forms).
     *
     * @throws CorruptRecordException when the header cannot be right
     */
    static int count(byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != BLOCK_MARKER) {
            return 1;
        }
        if (bytes.length < BLOCK_HEADER) {
            throw new CorruptRecordException("block of " + bytes.length + " bytes is shorter than its header");
        }
        int n = getInt(bytes, 5);
        if (n < 1 || n > FrameCodec.MAX_BATCH_RECORDS) {
            throw new CorruptRecordException("block header claims " + n + " records");
        }
        return n;
    }

    /**
     * The records of an entry, in order: a block, or a record of the older one-record forms.
     *
     * @throws CorruptRecordException when the CRC does not match or the records do not decode
     */
    static List<SyncRecord> decodeBlock(byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != BLOCK_MARKER) {
            return List.of(decode(bytes));
        }
        int n = count(bytes);
        int stored = getInt(bytes, 1);
        int actual = crc(bytes, 5, bytes.length - 5);
        if (stored != actual) {
            throw new CorruptRecordException(String.format("CRC-32C mismatch: stored %08x, computed %08x over %d bytes",
                    stored, actual, bytes.length - 5));
        }
        Frame f;
        try {
            f = FrameCodec.decode(bytes, BLOCK_HEADER, bytes.length - BLOCK_HEADER);
        } catch (RuntimeException e) {
            throw new CorruptRecordException("block does not decode: " + e.getMessage());
        }
        if (!(f instanceof Frame.Batch b) || b.records().size() != n) {
            throw new CorruptRecordException("block body is not a batch of " + n + " records");
        }
        return b.records();
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static int getInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    /**
     * A record of the one-record forms.
     *
     * @throws CorruptRecordException when the CRC does not match or the record does not decode
     */
    static SyncRecord decode(byte[] bytes) {
        if (bytes.length == 0) {
            throw new CorruptRecordException("empty record");
        }
        if (bytes[0] != MARKER) {
            return decodeRecord(bytes); // written before records carried a CRC
        }
        if (bytes.length < HEADER) {
            throw new CorruptRecordException("record of " + bytes.length + " bytes is shorter than its header");
        }
        int stored = ((bytes[1] & 0xFF) << 24) | ((bytes[2] & 0xFF) << 16) | ((bytes[3] & 0xFF) << 8)
                | (bytes[4] & 0xFF);
        int actual = crc(bytes, HEADER, bytes.length - HEADER);
        if (stored != actual) {
            throw new CorruptRecordException(String.format("CRC-32C mismatch: stored %08x, computed %08x over %d bytes",
                    stored, actual, bytes.length - HEADER));
        }
        byte[] rec = new byte[bytes.length - HEADER];
        System.arraycopy(bytes, HEADER, rec, 0, rec.length);
        return decodeRecord(rec);
    }

    private static SyncRecord decodeRecord(byte[] rec) {
        try {
            return FrameCodec.decodeRecord(rec);
        } catch (ProtocolException e) {
            throw new CorruptRecordException("record does not decode: " + e.getMessage());
        } catch (RuntimeException e) {
            // the codec refuses bad bytes with a ProtocolException; anything else still means a bad record here
            throw new CorruptRecordException("record does not decode: " + e);
        }
    }

    private static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    /** A stored record that fails its CRC or does not decode. */
    static final class CorruptRecordException extends RuntimeException {
        CorruptRecordException(String message) {
            super(message, null, false, false);
        }
    }
}
