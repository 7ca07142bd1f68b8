package io.hazwatch.sync.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hazwatch.sync.model.Lane;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal whose process is killed hard (SIGKILL) while it appends, again and again on the same file:
 * every append that returned is still there after the restart, every stream is numbered without a gap
 * or a repeat, and numbering goes on from what survived. This is guarantee 1 at the origin: what the
 * journal said it holds, it holds.
 */
class JournalKillTest {
    @TempDir
    Path dir;

    @Test
    void appendsThatReturnedSurviveEveryKillAndNumberingNeverRepeats() throws Exception {
        Path file = dir.resolve("journal.mv.db");
        Random random = new Random(1129);
        Map<Lane, Long> confirmed = new EnumMap<>(Lane.class);
        long before = -1;
        for (int kill = 0; kill < 8; kill++) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), JournalAppender.class.getName(),
                    file.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            Map<Lane, Long> seen = new EnumMap<>(Lane.class);
            AtomicInteger oks = new AtomicInteger();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        String[] f = line.split(" ");
                        if (f.length == 3 && f[0].equals("OK")) {
                            synchronized (seen) {
                                seen.merge(Lane.ofCode(Integer.parseInt(f[1])), Long.parseLong(f[2]), Math::max);
                            }
                            oks.incrementAndGet();
                        }
                    }
                } catch (java.io.IOException e) {
                    // the process was killed: its output ends here
                }
            });
            reader.start();
            int target = 5 + random.nextInt(60);
            await().atMost(Duration.ofSeconds(60)).until(() -> oks.get() >= target || !p.isAlive());
            assertThat(p.isAlive()).as("the appender runs until it is killed").isTrue();
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no close, the OS drops the file handle mid-write
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
            synchronized (seen) {
                seen.forEach((lane, seq) -> confirmed.merge(lane, seq, Math::max));
            }

            try (Journal j = Journal.open(file, "130102-E0042-01")) {
                for (Lane lane : List.of(Lane.CURRENT, Lane.ALARM)) {
                    List<Long> seqs = j.next(lane, -1, Integer.MAX_VALUE).stream()
                            .map(x -> x.record().seq()).sorted().toList();
                    long mustHave = confirmed.getOrDefault(lane, -1L);
                    assertThat((long) seqs.size()).as("kill %d, lane %s: records after the restart", kill, lane)
                            .isGreaterThanOrEqualTo(mustHave + 1);
                    assertThat(seqs).as("kill %d, lane %s: numbered without gap or repeat", kill, lane)
                            .containsExactlyElementsOf(LongStream.range(0, seqs.size()).boxed().toList());
                    // what survived beyond the confirmed appends (committed, killed before it was printed) is
                    // held too, so the next process numbers after it
                    confirmed.put(lane, (long) seqs.size() - 1);
                }
                assertThat(j.corrupted()).isZero();
            }
            // each life appended at least one confirmed bulk batch (its first OK is always one)
            assertThat(confirmed.get(Lane.CURRENT)).as("kill %d", kill).isGreaterThanOrEqualTo(before + 250);
            before = confirmed.get(Lane.CURRENT);
        }
    }
}
