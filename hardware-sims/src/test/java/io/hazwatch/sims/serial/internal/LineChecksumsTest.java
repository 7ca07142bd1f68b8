package io.hazwatch.sims.serial.internal;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LineChecksumsTest {

    @Test
    void the_simulators_checksums_give_the_published_check_values() {
        // NMEA 0183 textbook GGA sentence, checksum 47; CRC RevEng catalogue CRC-16/MODBUS check 0x4B37
        assertThat(LineChecksums.nmea("GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,")).isEqualTo("47");
        assertThat(LineChecksums.crc16Modbus("123456789")).isEqualTo("4B37");
    }

    @Test
    void a_spoiled_checksum_always_differs_from_the_right_one() {
        assertThat(LineChecksums.spoil("4B37")).isEqualTo("4B30");
        assertThat(LineChecksums.spoil("40")).isEqualTo("41");
    }

    @Test
    void a_forced_downpour_fills_the_bucket_exactly() {
        RainModel model = new RainModel(1, 2);
        model.burst(2.0, 10);
        for (int i = 0; i < 10; i++) {
            model.minute();
        }
        assertThat(model.tips()).isEqualTo(100);
        assertThat(model.totalTenthsMm()).isEqualTo(200);
        model.clear();
        assertThat(model.tips()).isZero();
    }
}
