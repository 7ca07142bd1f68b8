package io.hazwatch.sync.journal;

import io.hazwatch.sync.model.SyncRecord;
import io.hazwatch.sync.wire.FrameCodec;
import io.hazwatch.sync.wire.ProtocolException;
import java.util.zip.CRC32C;

/**
 * The journal form of one pending record (docs/journal.md, "Journal form"): a marker byte
 * {@code 0xC1}, the CRC-32C of the record bytes (u32, big-endian), then the record exactly as
 * {@link FrameCodec#encodeRecord} writes it.
 *
 * <p>MVStore checks its chunks' headers and footers, which catches a torn write at the end of the file,
 * but not a bit flipped inside a page that was written whole (a failing flash card, a bad sector read
 * back wrong). The CRC catches that per record, so a damaged record is set aside and reported instead
 * of being forwarded as if it were good, or throwing in the uplink.
 *
 * <p>Records written before the CRC existed start with their string table's count (1 or 2), never
 * {@code 0xC1}; they are still read, unchecked.
 */
final class JournalForm {
    static final byte MARKER = (byte) 0xC1;
    static final int HEADER = 5;

    private JournalForm() {
    }

    static byte[] encode(SyncRecord r) {
        byte[] rec = FrameCodec.encodeRecord(r);
        byte[] out = new byte[HEADER + rec.length];
        out[0] = MARKER;
        int crc = crc(rec, 0, rec.length);
        out[1] = (byte) (crc >>> 24);
        out[2] = (byte) (crc >>> 16);
        out[3] = (byte) (crc >>> 8);
        out[4] = (byte) crc;
        System.arraycopy(rec, 0, out, HEADER, rec.length);
        return out;
    }

    /** @throws CorruptRecordException when the CRC does not match or the record does not decode */
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
