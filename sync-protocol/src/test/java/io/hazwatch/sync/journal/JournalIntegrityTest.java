package io.hazwatch.sync.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.SyncRecord;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the journal keeps when its file is damaged (docs/journal.md, "What a crash can and cannot lose"):
 * a write torn at the end of the file loses only the commit being written, never an earlier one; a byte
 * flipped inside a record that was written whole is caught by the record's CRC and set aside, never
 * forwarded, never thrown at the uplink.
 */
class JournalIntegrityTest {
    private static final String EDGE = "130102-E0042-01";
    private static final long T = 1_780_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void aWriteTornAnywhereInTheLastCommitLosesOnlyThatCommit() throws IOException {
        Path file = dir.resolve("journal.mv.db");
        int groups = 6;
        int perGroup = 400;
        long sizeBeforeLast;
        try (Journal j = Journal.open(file, EDGE)) {
            for (int g = 0; g < groups - 1; g++) {
                j.localSink().append(Lane.CURRENT, readings(perGroup, g * perGroup));
            }
            sizeBeforeLast = Files.size(file);
            j.localSink().append(Lane.CURRENT, readings(perGroup, (groups - 1) * perGroup));
            j.localSink().append(Lane.ALARM, List.of(alarmFree(7)));
            // the uplink never ran: nothing was removed, so everything appended is pending
        }
        long full = Files.size(file);
        assertThat(full).isGreaterThan(sizeBeforeLast);
        byte[] whole = Files.readAllBytes(file);

        Random random = new Random(20261129);
        List<Long> cuts = new ArrayList<>(List.of(sizeBeforeLast, sizeBeforeLast + 1, full - 1));
        for (int i = 0; i < 12; i++) {
            cuts.add(sizeBeforeLast + 1 + (long) random.nextInt((int) (full - sizeBeforeLast - 1)));
        }
        for (long cut : cuts) {
            Path torn = dir.resolve("torn-" + cut + ".mv.db");
            Files.write(torn, java.util.Arrays.copyOf(whole, (int) cut));
            try (Journal j = Journal.open(torn, EDGE)) {
                List<Long> seqs = seqs(j, Lane.CURRENT);
                // every commit before the torn one is whole; the torn ones are whole or absent, never partial
                assertThat(seqs.size()).as("records after a cut at %d of %d bytes", cut, full)
                        .isGreaterThanOrEqualTo((groups - 1) * perGroup);
                assertThat(seqs.size() % perGroup).as("a commit group is whole or absent").isZero();
                assertThat(seqs).containsExactlyElementsOf(LongStream.range(0, seqs.size()).boxed().toList());
                if (cut == sizeBeforeLast) {
                    assertThat(seqs).as("cut where the last commit began").hasSize((groups - 1) * perGroup);
                }
                // numbering goes on after what survived, never into what it still holds
                long next = j.localSink().append(Lane.CURRENT, readings(1, 0)).get(0).seq();
                assertThat(next).isEqualTo(seqs.size());
                assertThat(j.corrupted()).isZero();
            }
        }
    }

    @Test
    void garbageAfterTheLastCommitIsIgnored() throws IOException {
        Path file = dir.resolve("journal.mv.db");
        try (Journal j = Journal.open(file, EDGE)) {
            j.localSink().append(Lane.CURRENT, readings(300, 0));
        }
        byte[] junk = new byte[10_000];
        new Random(7).nextBytes(junk);
        Files.write(file, junk, StandardOpenOption.APPEND);

        try (Journal j = Journal.open(file, EDGE)) {
            assertThat(seqs(j, Lane.CURRENT)).hasSize(300);
            assertThat(j.localSink().append(Lane.CURRENT, readings(1, 300)).get(0).seq()).isEqualTo(300);
        }
        try (Journal j = Journal.open(file, EDGE)) {
            assertThat(seqs(j, Lane.CURRENT)).hasSize(301);
        }
    }

    @Test
    void aBlockDamagedOnDiskIsSetAsideCountedAndNeverForwarded() throws IOException {
        Path file = dir.resolve("journal.mv.db");
        List<Reading> written = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            written.add(new Reading(String.format("T101/MARK-%04d/level", i), T + i, PointValue.of(i * 1.5), 0));
        }
        try (Journal j = Journal.open(file, EDGE)) {
            for (int a = 0; a < 5; a++) {
                j.localSink().append(Lane.CURRENT, written.subList(a * 10, a * 10 + 10)); // one block each
            }
        }
        int flipped = flipEveryCopy(file, "MARK-0017");
        assertThat(flipped).as("copies of the record found in the file").isPositive();

        try (Journal j = Journal.open(file, EDGE)) {
            List<Pending> offered = j.next(Lane.CURRENT, -1, 1000);
            // the block of readings 10..19 failed its CRC: all of it is set aside, the other blocks are whole
            assertThat(offered).extracting(p -> p.record().payload())
                    .containsExactlyElementsOf(concat(written.subList(0, 10), written.subList(20, 50)));
            await().until(() -> j.corrupted() == 1 && j.pendingCount(Lane.CURRENT) == 40);
        }
        try (Journal j = Journal.open(file, EDGE)) {
            // set aside for good: not pending, not found again, still held (the parent sees a gap, not a value)
            assertThat(j.next(Lane.CURRENT, -1, 1000)).hasSize(40);
            assertThat(j.pendingCount(Lane.CURRENT)).isEqualTo(40);
            assertThat(j.corrupted()).isZero();
            assertThat(j.localSink().append(Lane.CURRENT, readings(1, 50)).get(0).seq()).isEqualTo(50);
        }
        MVStore s = new MVStore.Builder().fileName(file.toString()).readOnly().open();
        try {
            assertThat(s.<String, byte[]>openMap("corrupt").keySet()).hasSize(1);
        } finally {
            s.close();
        }
    }

    @Test
    void recordsAcknowledgedOutOfABlockStayGoneAfterAReopenAndTheRestIsOffered() {
        Path file = dir.resolve("journal.mv.db");
        try (Journal j = Journal.open(file, EDGE)) {
            j.localSink().append(Lane.CURRENT, readings(100, 0)); // one block
            List<Pending> all = j.next(Lane.CURRENT, -1, 1000);
            long[] some = all.stream().filter(p -> p.record().seq() % 3 == 0).mapToLong(Pending::position).toArray();
            j.remove(Lane.CURRENT, some);
            await().until(() -> j.pendingCount(Lane.CURRENT) == 100 - some.length);
            assertThat(j.next(Lane.CURRENT, -1, 1000)).extracting(p -> p.record().seq())
                    .allMatch(seq -> seq % 3 != 0).hasSize(66);
            // paging from the middle of the block
            assertThat(j.next(Lane.CURRENT, all.get(49).position(), 5)).extracting(p -> p.record().seq())
                    .containsExactly(50L, 52L, 53L, 55L, 56L);
        }
        try (Journal j = Journal.open(file, EDGE)) {
            assertThat(j.pendingCount(Lane.CURRENT)).isEqualTo(66);
            List<Pending> left = j.next(Lane.CURRENT, -1, 1000);
            assertThat(left).extracting(p -> p.record().seq()).allMatch(seq -> seq % 3 != 0).hasSize(66);
            j.remove(Lane.CURRENT, left.stream().mapToLong(Pending::position).toArray());
            await().until(() -> j.pendingCount() == 0);
        }
        try (Journal j = Journal.open(file, EDGE)) {
            assertThat(j.pendingCount()).isZero();
            assertThat(j.next(Lane.CURRENT, -1, 1000)).isEmpty();
            assertThat(j.localSink().append(Lane.CURRENT, readings(1, 100)).get(0).seq()).isEqualTo(100);
        }
    }

    @Test
    void recordsOfTheFormWithoutACrcAreStillRead() {
        Path file = dir.resolve("journal.mv.db");
        SyncRecord old = new SyncRecord(EDGE, Lane.CURRENT, 0, readings(1, 0).get(0));
        MVStore s = new MVStore.Builder().fileName(file.toString()).open();
        s.<Long, byte[]>openMap("pending." + Lane.CURRENT.code()).put(0L, io.hazwatch.sync.wire.FrameCodec.encodeRecord(old));
        s.<String, long[]>openMap("held").put(Lane.CURRENT.code() + "|" + EDGE, new long[] {0, 0});
        s.close();

        try (Journal j = Journal.open(file, EDGE)) {
            assertThat(j.next(Lane.CURRENT, -1, 10)).extracting(Pending::record).containsExactly(old);
            assertThat(j.localSink().append(Lane.CURRENT, readings(1, 1)).get(0).seq()).isEqualTo(1);
        }
    }

    @Test
    void aBlockRefusesEveryDamagedByteAndTruncation() {
        List<SyncRecord> records = List.of(new SyncRecord(EDGE, Lane.CURRENT, 7, readings(1, 0).get(0)),
                new SyncRecord(EDGE, Lane.CURRENT, 8, readings(1, 1).get(0)));
        byte[] good = JournalForm.encodeBlock(records);
        assertThat(JournalForm.decodeBlock(good)).isEqualTo(records);
        assertThat(JournalForm.count(good)).isEqualTo(2);
        for (int i = 1; i < good.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << bit);
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> JournalForm.decodeBlock(bad))
                        .isInstanceOf(JournalForm.CorruptRecordException.class);
            }
        }
        for (int len = 1; len < good.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(good, len);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> JournalForm.decodeBlock(cut))
                    .isInstanceOf(JournalForm.CorruptRecordException.class);
        }
    }

    @Test
    void theOneRecordFormRefusesEveryDamagedByteAndTruncation() {
        byte[] good = oneRecordForm(new SyncRecord(EDGE, Lane.ALARM, 42, alarmFree(3)));
        assertThat(JournalForm.decode(good).seq()).isEqualTo(42);
        // from byte 1: a flipped marker byte reads as the old, unchecked form, whose decoding is the codec's own test
        for (int i = 1; i < good.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << bit);
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> JournalForm.decode(bad))
                        .isInstanceOf(JournalForm.CorruptRecordException.class);
            }
        }
        for (int len = 0; len < good.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(good, len);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> JournalForm.decode(cut))
                    .isInstanceOf(JournalForm.CorruptRecordException.class);
        }
    }

    /** A record as older builds journaled it: the marker 0xC1, the CRC-32C of the record, the record. */
    private static byte[] oneRecordForm(SyncRecord r) {
        byte[] rec = io.hazwatch.sync.wire.FrameCodec.encodeRecord(r);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(rec);
        return java.nio.ByteBuffer.allocate(JournalForm.HEADER + rec.length).put(JournalForm.MARKER)
                .putInt((int) crc.getValue()).put(rec).array();
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static int flipEveryCopy(Path file, String marker) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        byte[] m = marker.getBytes(StandardCharsets.UTF_8);
        int n = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (int i = 0; i + m.length <= bytes.length; i++) {
                if (java.util.Arrays.equals(bytes, i, i + m.length, m, 0, m.length)) {
                    ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) (bytes[i] ^ 0x01)}), i);
                    n++;
                }
            }
        }
        return n;
    }

    private static List<Long> seqs(Journal j, Lane lane) {
        return j.next(lane, -1, Integer.MAX_VALUE).stream().map(p -> p.record().seq()).sorted().toList();
    }

    private static List<Reading> readings(int n, int from) {
        List<Reading> out = new ArrayList<>(n);
        for (int i = from; i < from + n; i++) {
            out.add(new Reading("T101/LT-01/level", T + i, PointValue.of(i * 0.25), 0));
        }
        return out;
    }

    private static io.hazwatch.sync.model.AlarmEvent alarmFree(int i) {
        return new io.hazwatch.sync.model.AlarmEvent("T101/GT-01/gas", T + i, io.hazwatch.sync.model.AlarmLimit.HH, 1,
                true, 30.0, 25.0);
    }
}
