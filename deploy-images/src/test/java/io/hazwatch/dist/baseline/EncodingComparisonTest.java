package io.hazwatch.dist.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.hazwatch.sync.model.SyncRecord;
import io.hazwatch.sync.wire.Compression;
import io.hazwatch.sync.wire.Frame;
import io.hazwatch.sync.wire.LinkCodec;
import io.hazwatch.sync.wire.WireWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.eclipse.tahu.protobuf.SparkplugBProto;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The arithmetic of the encoding comparison, on a tiny input: 2 edges, 1 tank, 6 poll cycles. */
class EncodingComparisonTest {
    private static final EncodingComparison.Case CASE =
            new EncodingComparison.Case("tiny", SimReadings.PointSet.LIVE, 2, 3, 5.0);
    private static SimReadings readings;

    @BeforeAll
    static void generate() {
        readings = SimReadings.generate(SimReadings.PointSet.LIVE, 2, 1, 6, Instant.parse("2026-06-01T00:00:00Z"));
    }

    @Test
    void readingsAreSixPointsPerTankWithOneSecondTimestampsAndDistinctIds() {
        assertThat(readings.pointsPerEdge()).isEqualTo(6);
        assertThat(readings.total()).isEqualTo(2 * 6 * 6);
        assertThat(readings.timestamp(1) - readings.timestamp(0)).isEqualTo(1000);
        assertThat(readings.pointName(1, 0)).isEqualTo("E0002/tank-farm/tank1.level");
        assertThat(readings.id(1, 5, 5)).isEqualTo((int) readings.total() - 1);
        // level is a float32 widened to a double, exactly
        double level = readings.value(0, 0, 0);
        assertThat((double) (float) level).isEqualTo(level);
    }

    @Test
    void mqttPublishSizeIsFixedHeaderTopicPacketIdAndPayload() {
        // 1 type byte, 1 length byte, 2 + 3 topic bytes, 2 packet id bytes, 10 payload bytes
        assertThat(MqttEncodings.publishPacketBytes("a/b", 10)).isEqualTo(19);
        // remaining length 128 needs a second length byte
        assertThat(MqttEncodings.publishPacketBytes("a/b", 121)).isEqualTo(1 + 2 + 128);
        assertThat(MqttEncodings.publishPacketBytes("a/b", 120)).isEqualTo(1 + 1 + 127);
    }

    @Test
    void jsonCarriesTheIdTheSubscriberCountsBy() {
        byte[] json = MqttEncodings.json(readings, 1, 2, 4, 4711);
        String text = new String(json, StandardCharsets.UTF_8);
        assertThat(text).startsWith("{\"id\":4711,\"ts\":" + readings.timestamp(2) + ",\"v\":").endsWith(",\"q\":0}");
        assertThat(MqttBench.Subscriber.jsonId(json)).isEqualTo(4711);
        assertThat(MqttBench.Subscriber.jsonId(MqttEncodings.json(readings, 0, 0, 0, -1))).isEqualTo(-1);
    }

    @Test
    void sparkplugDataCarriesOneMetricPerReadingByAliasWithoutNames() throws Exception {
        byte[] b = MqttEncodings.sparkplugData(readings, 0, new int[] {3, 4}, null, 7);
        SparkplugBProto.Payload p = SparkplugBProto.Payload.parseFrom(b);
        assertThat(p.getMetricsCount()).isEqualTo(12);
        assertThat(p.getMetrics(7).getAlias()).isEqualTo(1);
        assertThat(p.getMetrics(7).getTimestamp()).isEqualTo(readings.timestamp(4));
        assertThat(p.getMetrics(7).getName()).isEmpty();
        assertThat(p.getSeq()).isEqualTo(7);
    }

    @Test
    void perReadingFiguresAreTotalsOverTheSteadyStateWindow() {
        EncodingComparison.Result res = EncodingComparison.run(CASE, readings);
        // 2 edges x (6 - 2 cycles of the first batch) x 6 points
        long steady = 2 * 4 * 6;
        assertThat(res.readings()).isEqualTo(steady);
        assertThat(res.firstBatchReadings()).isEqualTo(2 * 2 * 6);

        EncodingComparison.Row json = row(res, "JSON");
        long payload = 0;
        long wire = 0;
        for (int e = 0; e < 2; e++) {
            for (int c = 2; c < 6; c++) {
                for (int p = 0; p < 6; p++) {
                    int n = MqttEncodings.json(readings, e, c, p, -1).length;
                    payload += n;
                    wire += MqttEncodings.publishPacketBytes(MqttEncodings.jsonTopic(readings, e, p), n);
                }
            }
        }
        assertThat(json.messages()).isEqualTo(steady);
        assertThat(json.payloadBytes()).isEqualTo(payload);
        assertThat(json.wireBytes()).isEqualTo(wire);
        assertThat(json.payloadPerReading()).isEqualTo((double) payload / steady);

        EncodingComparison.Row spb = row(res, "Sparkplug B (Tahu), one NDATA per poll cycle");
        assertThat(spb.messages()).isEqualTo(2 * 4); // one per edge per poll cycle
        EncodingComparison.Row batched = row(res, "Sparkplug B, one NDATA per 2 s batch");
        assertThat(batched.messages()).isEqualTo(2 * 2);

        for (Compression c : Compression.values()) {
            EncodingComparison.Row ours = row(res, "HazWatch compact batch, protocol 2, " + c.name().toLowerCase());
            assertThat(ours.messages()).as("batches after each connection's first").isEqualTo(2 * 2);
            assertThat(ours.wireBytes()).as("payload plus a 4-byte length per frame")
                    .isEqualTo(ours.payloadBytes() + 4 * ours.messages());
            assertThat(ours.readings()).isEqualTo(steady);
        }
        assertThat(EncodingComparison.markdown(res)).contains("| JSON, one MQTT message per reading | 48 |");
    }

    @Test
    void ourSteadyStateBatchesDecodeToTheSameRecordsWithoutNames() {
        for (Compression c : Compression.values()) {
            LinkCodec tx = new LinkCodec();
            tx.negotiated(2, c);
            LinkCodec rx = new LinkCodec();
            rx.negotiated(2, c);
            WireWriter w = new WireWriter(1024);
            int firstSize = 0;
            for (int b = 0; b < 3; b++) {
                List<SyncRecord> records = readings.records(0, b * 2, b * 2 + 2);
                w.reset();
                tx.encode(new Frame.Batch(b + 1, records), w);
                if (b == 0) {
                    firstSize = w.size();
                }
                Frame.Batch back = (Frame.Batch) rx.decode(w.toByteArray());
                assertThat(back.records()).containsExactlyInAnyOrderElementsOf(records);
                if (b > 0) {
                    assertThat(w.size()).as("later batches define no names").isLessThan(firstSize);
                }
            }
        }
    }

    private static EncodingComparison.Row row(EncodingComparison.Result res, String prefix) {
        return res.rows().stream().filter(r -> r.encoding().startsWith(prefix)).findFirst().orElseThrow();
    }
}
