package io.hazwatch.sims.link;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LinkProfileTest {

    @Test
    void presets_are_found_by_name_ignoring_case_and_vsat_means_the_256k_link() {
        assertThat(LinkProfile.byName("VSAT")).isEqualTo(LinkProfile.VSAT_256K);
        assertThat(LinkProfile.byName("Tiantong")).isEqualTo(LinkProfile.TIANTONG);
        assertThat(LinkProfile.presets()).extracting(LinkProfile::name)
                .containsExactly("terrestrial", "vsat-256k", "vsat-2m", "tiantong");
    }

    @Test
    void an_unknown_name_is_refused_with_the_list_of_presets() {
        assertThatThrownBy(() -> LinkProfile.byName("lte"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lte").hasMessageContaining("vsat-2m").hasMessageContaining("tiantong");
    }

    @Test
    void the_vsat_link_needs_about_19_kB_in_flight_to_be_full() {
        // 256,000 bit/s x 0.6 s / 8 (docs/link-simulator.md, "Filling the link")
        assertThat(LinkProfile.VSAT_256K.roundTrip()).isEqualTo(Duration.ofMillis(600));
        assertThat(LinkProfile.VSAT_256K.bandwidthDelayProductBytes()).isEqualTo(19_200);
        assertThat(LinkProfile.VSAT_256K.serializationNanos(32_000)).isEqualTo(1_000_000_000L);
        assertThat(LinkProfile.TIANTONG.serializationNanos(1)).isEqualTo(833_334L); // rounded up, never under
    }

    @Test
    void impossible_links_are_refused() {
        assertThatThrownBy(() -> LinkProfile.VSAT_2M.withBitsPerSecond(0)).hasMessageContaining("bandwidth");
        assertThatThrownBy(() -> LinkProfile.VSAT_2M.withOneWayDelay(Duration.ofMillis(-1)))
                .hasMessageContaining("delay");
        assertThatThrownBy(() -> LinkProfile.VSAT_2M.withBufferBytes(0)).hasMessageContaining("buffer");
    }

    @Test
    void an_outage_every_60_s_for_10_s_is_up_50_s_then_down_10_s() {
        OutageSchedule s = OutageSchedule.every(Duration.ofSeconds(60), Duration.ofSeconds(10), OutageKind.FADE);

        assertThat(s.up()).isEqualTo(Duration.ofSeconds(50));
        assertThat(s.isDownAt(Duration.ofMillis(49_999))).isFalse();
        assertThat(s.isDownAt(Duration.ofSeconds(50))).isTrue();
        assertThat(s.isDownAt(Duration.ofMillis(59_999))).isTrue();
        assertThat(s.isDownAt(Duration.ofSeconds(60))).isFalse();
        assertThat(s.isDownAt(Duration.ofSeconds(115))).isTrue();
        assertThat(s.nanosToNextChange(Duration.ofSeconds(55).toNanos())).isEqualTo(Duration.ofSeconds(5).toNanos());
        assertThatThrownBy(() -> OutageSchedule.every(Duration.ofSeconds(10), Duration.ofSeconds(10), OutageKind.FADE))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
