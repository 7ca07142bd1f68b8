package io.hazwatch.sync.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.StreamKey;
import io.hazwatch.sync.ranges.RangeSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The byte layouts of version 3 (credit), pinned by golden vectors; docs/sync-protocol.md 4.5, 4.7, 4.13. */
class CreditFrameTest {
    private static final Frame.Credit CREDIT = new Frame.Credit(100_000, 32);

    @Test
    void aCreditFrameMatchesItsGoldenVector() {
        byte[] golden = GoldenVectors.load("credit.hex");

        assertThat(FrameCodec.encode(CREDIT)).isEqualTo(golden);
        assertThat(FrameCodec.decode(golden, 0, golden.length, 3)).isEqualTo(CREDIT);
    }

    @Test
    void aVersion3AckCarriesCreditAfterItsStreamsAsItsGoldenVectorShows() {
        Frame.Ack ack = new Frame.Ack(7, Map.of(new StreamKey(GoldenVectors.EDGE, Lane.CURRENT), RangeSet.of(41, 45)),
                CREDIT);
        byte[] golden = GoldenVectors.load("ack-v3.hex");

        assertThat(FrameCodec.encode(ack)).isEqualTo(golden);
        assertThat(FrameCodec.decode(golden, 0, golden.length, 3)).isEqualTo(ack);
    }

    @Test
    void aVersion3WelcomeCarriesCreditAfterItsStreamsAsItsGoldenVectorShows() {
        Frame.Welcome welcome = new Frame.Welcome(3, "130100", GoldenVectors.T, Map.of(), CREDIT);
        byte[] golden = GoldenVectors.load("welcome-v3.hex");

        assertThat(FrameCodec.encode(welcome)).isEqualTo(golden);
        // a welcome names its own version: it decodes alike whatever the connection read before it
        assertThat(FrameCodec.decode(golden)).isEqualTo(welcome);
    }

    @Test
    void aVersion2ConnectionReadsAnAckWithoutCreditAndRefusesACreditFrame() {
        Frame.Ack ack = new Frame.Ack(7, Map.of());
        byte[] v2 = FrameCodec.encode(ack);
        byte[] credit = FrameCodec.encode(CREDIT);

        assertThat(FrameCodec.decode(v2, 0, v2.length, 2)).isEqualTo(ack);
        assertThatThrownBy(() -> FrameCodec.decode(credit, 0, credit.length, 2))
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME))
                .hasMessageContaining("version 2");
        // and a version-3 reader refuses an ACK that lacks the credit
        assertThatThrownBy(() -> FrameCodec.decode(v2, 0, v2.length, 3))
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME));
    }

    @Test
    void aCreditOnePastEitherMaximumIsMalformedAndTheMaximumsAreNot() {
        byte[] max = new WireWriter(16).u8(Frame.FrameType.CREDIT).varlong(Frame.Credit.MAX_RECORDS)
                .varlong(Frame.Credit.MAX_BATCHES).toByteArray();
        byte[] records = new WireWriter(16).u8(Frame.FrameType.CREDIT).varlong(Frame.Credit.MAX_RECORDS + 1)
                .varlong(1).toByteArray();
        byte[] batches = new WireWriter(16).u8(Frame.FrameType.CREDIT).varlong(1)
                .varlong(Frame.Credit.MAX_BATCHES + 1).toByteArray();

        assertThat(FrameCodec.decode(max, 0, max.length, 3)).isEqualTo(Frame.Credit.UNLIMITED);
        assertThatThrownBy(() -> FrameCodec.decode(records, 0, records.length, 3))
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME))
                .hasMessageContaining("records").hasMessageContaining("offset 1");
        assertThatThrownBy(() -> FrameCodec.decode(batches, 0, batches.length, 3))
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME))
                .hasMessageContaining("batches");
    }
}
