package io.hazwatch.sims.internal;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GasPlumeTest {

    private final GasPlume plume = new GasPlume(100, 60.0, 20.0, 300.0);

    @Test
    void a_plume_is_zero_before_it_starts_and_rises_monotonically_to_its_peak_after_three_time_constants() {
        assertThat(plume.valueAt(50)).isZero();
        assertThat(plume.valueAt(100)).isZero();
        double previous = 0;
        for (long t = 101; t <= 160; t++) {
            double v = plume.valueAt(t);
            assertThat(v).isGreaterThan(previous);
            previous = v;
        }
        assertThat(plume.valueAt(160)).isCloseTo(60.0, within(1e-9));
    }

    @Test
    void a_plume_decays_with_its_decay_time_constant_and_then_is_finished() {
        assertThat(plume.valueAt(160 + 300)).isCloseTo(60.0 / Math.E, within(1e-9));
        assertThat(plume.finishedAt(160 + 300)).isFalse();
        assertThat(plume.finishedAt(160 + 300 * 7)).isTrue();
    }

    @Test
    void plume_parameters_must_be_positive() {
        assertThatThrownBy(() -> new GasPlume(0, 0.0, 10, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GasPlume(0, 10, -1, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
