package io.hazwatch.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.hazwatch.edge.config.AlarmSpec;
import io.hazwatch.edge.config.PointConfig;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.PointInfo;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** A catalogue entry says what the point's configuration says, and nothing it does not. */
class PointCatalogueTest {
    @Test
    void typeScaleOffsetAndEveryConfiguredLimitAreTakenFromThePointsConfiguration() {
        PointConfig p = new PointConfig("temperature", "°C", Map.of("address", 4, "type", "int16", "scale", 0.1,
                "offset", -40), Optional.of(AlarmSpec.builder().ll(-20).l(-10).h(40).hh(50).build()), "edge.yaml:3:5");

        PointInfo info = PointCatalogue.entry("E0042/farm/temperature", p, 1_000L);

        assertThat(info).isEqualTo(new PointInfo("E0042/farm/temperature", 1_000L, "°C", "int16", Optional.empty(),
                OptionalDouble.of(0.1), OptionalDouble.of(-40.0), Optional.empty(),
                Map.of(AlarmLimit.LL, -20.0, AlarmLimit.L, -10.0, AlarmLimit.H, 40.0, AlarmLimit.HH, 50.0)));
    }

    @Test
    void aPointWithoutTypeScaleOrAlarmsHasOnlyItsUnit() {
        PointConfig p = new PointConfig("wind", "m/s", Map.of("address", 900), Optional.empty(), "edge.yaml:9:9");

        assertThat(PointCatalogue.entry("E0042/farm/wind", p, 7L)).isEqualTo(PointInfo.of("E0042/farm/wind", 7L, "m/s", ""));
    }
}
