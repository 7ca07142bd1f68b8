package io.hazwatch.dist.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT baseline's plumbing, once, briefly: three mosquitto brokers bridged through counting
 * proxies carry 60 JSON readings from the publishers to the persistent subscriber. Skipped where
 * mosquitto is not installed.
 */
class MosquittoChainTest {
    @TempDir
    Path dir;

    @Test
    void sixtyReadingsCrossTheBridgeChainAndTheProxiesCountThem() throws Exception {
        Optional<String> mosquitto = BaselineCommand.findMosquitto();
        assumeTrue(mosquitto.isPresent(), "mosquitto is not installed (apt-get install mosquitto): skipping the "
                + "MQTT bridge-chain smoke test");
        SimReadings r = SimReadings.generate(SimReadings.PointSet.LIVE, 1, 1, 10, Instant.parse("2026-06-01T00:00:00Z"));
        MqttBench bench = new MqttBench(mosquitto.get(), dir, new Settle(5_000, 30_000));

        MqttBench.Throughput t = bench.throughput("smoke", r, MqttBench.Encoding.JSON, true);

        assertThat(t.received()).isEqualTo(60);
        assertThat(t.missing()).isZero();
        assertThat(t.duplicates()).isZero();
        // every PUBLISH crossed both bridges; bridges add a little of their own (pings)
        assertThat(t.edgeMiddleUp()).isGreaterThanOrEqualTo(t.computedPublishBytes());
        assertThat(t.middleProvinceUp()).isGreaterThanOrEqualTo(t.computedPublishBytes());
    }
}
