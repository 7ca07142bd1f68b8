package io.hazwatch.sims.link;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The link model on a synthetic clock: exact times, no sockets, no waiting. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PipeTest {

    private static final long MS = 1_000_000L;

    /** 80 kbit/s = 10 bytes per ms; chunks of 64 bytes take 6.4 ms. */
    private static final LinkProfile TEN_KB_PER_S = new LinkProfile("test", 80_000, Duration.ofMillis(100),
            Duration.ZERO, 64 * 1024);

    @Test
    void bytes_are_released_after_their_transmission_time_plus_the_one_way_delay() {
        Pipe pipe = new Pipe(TEN_KB_PER_S, 1);
        Flow flow = pipe.openFlow();
        pipe.offer(flow, ByteBuffer.allocate(1000), 0);

        List<Long> releases = runUntilIdle(pipe, flow, 0);

        assertThat(releases.get(0)).isEqualTo(100 * MS + 6_400_000);   // first 64 bytes: 6.4 ms on the air + 100 ms
        assertThat(releases.get(releases.size() - 1)).isEqualTo(200 * MS); // 1000 bytes at 10 B/ms + 100 ms
        assertThat(pipe.stats().inFlightBytes()).isEqualTo(1000);
        assertThat(pipe.stats().queuedBytes()).isZero();
    }

    @Test
    void jitter_delays_chunks_within_its_bound_but_never_reorders_a_connection() {
        // 8 Mbit/s: 5,000-byte chunks of 5 ms each; jitter of 50 ms would reorder them ten deep if allowed
        LinkProfile jittery = new LinkProfile("jittery", 8_000_000, Duration.ofMillis(10), Duration.ofMillis(50),
                1024 * 1024);
        Pipe pipe = new Pipe(jittery, 42);
        Flow flow = pipe.openFlow();
        pipe.offer(flow, ByteBuffer.allocate(200_000), 0);

        List<Long> releases = runUntilIdle(pipe, flow, 0);

        assertThat(releases).hasSize(40).isSorted();
        boolean anyJitter = false;
        for (int i = 0; i < releases.size(); i++) {
            long transmitted = (i + 1) * 5 * MS;
            assertThat(releases.get(i)).isBetween(transmitted + 10 * MS, transmitted + 60 * MS);
            anyJitter |= releases.get(i) > transmitted + 10 * MS;
        }
        assertThat(anyJitter).as("some chunk got extra delay").isTrue();
    }

    @Test
    void a_full_buffer_accepts_nothing_until_the_transmitter_takes_a_chunk() {
        Pipe pipe = new Pipe(TEN_KB_PER_S.withBufferBytes(640), 1);
        Flow flow = pipe.openFlow();
        pipe.offer(flow, ByteBuffer.allocate(640), 0);

        assertThat(pipe.room()).isZero();
        assertThat(pipe.accepts(flow)).isFalse();

        pipe.advance(0);          // the first 64-byte chunk goes on the air
        assertThat(pipe.room()).isEqualTo(64);
        pipe.advance(6_400_000);  // and the next one 6.4 ms later
        assertThat(pipe.room()).isEqualTo(128);
        assertThat(pipe.stats().maxQueuedBytes()).isEqualTo(640);
    }

    @Test
    void an_outage_holds_everything_and_moves_every_release_later_by_its_length() {
        Pipe pipe = new Pipe(TEN_KB_PER_S, 1);
        Flow flow = pipe.openFlow();
        pipe.offer(flow, ByteBuffer.allocate(1000), 0);
        pipe.advance(10 * MS);

        pipe.freeze(10 * MS);
        pipe.advance(400 * MS);
        assertThat(pipe.room()).as("a faded link reads nothing").isZero();
        assertThat(flow.inFlight).hasSize(2); // only what went on the air before the fade
        pipe.thaw(510 * MS);

        List<Long> releases = runUntilIdle(pipe, flow, 510 * MS);
        assertThat(releases.get(0)).isEqualTo(606_400_000L);           // 106.4 ms + 500 ms
        assertThat(releases.get(releases.size() - 1)).isEqualTo(700 * MS); // 200 ms + 500 ms
        assertThat(pipe.stats().bytesDiscarded()).isZero();
    }

    @Test
    void closing_a_flow_discards_and_counts_only_its_own_bytes() {
        Pipe pipe = new Pipe(TEN_KB_PER_S, 1);
        Flow kept = pipe.openFlow();
        Flow reset = pipe.openFlow();
        pipe.offer(reset, ByteBuffer.allocate(300), 0);
        pipe.offer(kept, ByteBuffer.allocate(200), 0);
        pipe.advance(0);

        pipe.closeFlow(reset);

        assertThat(pipe.stats().bytesDiscarded()).isEqualTo(300);
        assertThat(pipe.stats().queuedBytes()).isEqualTo(200);
        assertThat(runUntilIdle(pipe, kept, 0)).isNotEmpty();
        assertThat(pipe.stats().inFlightBytes()).isEqualTo(200);
    }

    /** Steps the synthetic clock to each next transmission and returns the flow's release times. */
    private static List<Long> runUntilIdle(Pipe pipe, Flow flow, long start) {
        long now = start;
        pipe.advance(now);
        while (pipe.nextTransmitAt() != Long.MAX_VALUE) {
            now = pipe.nextTransmitAt();
            pipe.advance(now);
        }
        List<Long> releases = new ArrayList<>();
        for (Flow.Delivery d : flow.inFlight) {
            releases.add(d.deliverAt);
        }
        return releases;
    }
}
