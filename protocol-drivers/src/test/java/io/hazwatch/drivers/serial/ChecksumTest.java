package io.hazwatch.drivers.serial;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ChecksumTest {

    @Test
    void the_nmea_checksum_of_the_textbook_gga_sentence_is_47() {
        // NMEA 0183 example sentence quoted in every receiver manual
        String gga = "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47";

        ChecksumVerdict verdict = Checksum.NMEA.check(gga, "*");

        assertThat(verdict).isEqualTo(new ChecksumVerdict.Valid(
                "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,", "47"));
    }

    @Test
    void crc16_modbus_and_sum8_give_the_catalogue_check_values_for_123456789() {
        // CRC RevEng catalogue, CRC-16/MODBUS: check = 0x4B37
        assertThat(Checksum.CRC16_MODBUS.compute("123456789")).isEqualTo("4B37");
        assertThat(Checksum.SUM8.compute("123456789")).isEqualTo("DD");
        assertThat(Checksum.NMEA.compute("123456789")).isEqualTo("31");
    }

    @Test
    void the_crc_covers_everything_before_the_separator_and_hex_case_does_not_matter() {
        String line = Checksum.CRC16_MODBUS.append("R,01440,00720", "*");

        assertThat(line).matches("R,01440,00720\\*[0-9A-F]{4}");
        assertThat(Checksum.CRC16_MODBUS.check(line.toLowerCase().replace("r,", "R,"), "*").usable()).isTrue();
    }

    @Test
    void a_wrong_checksum_is_a_mismatch_that_says_both_values() {
        ChecksumVerdict verdict = Checksum.NMEA.check("$PHZDSP,GN01,1.0,2.0,3.0,4*00", "*");

        assertThat(verdict).isInstanceOf(ChecksumVerdict.Mismatch.class);
        assertThat(verdict.usable()).isFalse();
        assertThat(verdict.payload()).isEqualTo("$PHZDSP,GN01,1.0,2.0,3.0,4");
        assertThat(verdict.describe()).startsWith("BAD: line says 00, computed ");
    }

    @Test
    void a_line_without_its_checksum_is_missing_and_not_usable() {
        assertThat(Checksum.NMEA.check("$PHZDSP,GN01,1.0,2.0,3.0,4", "*"))
                .isInstanceOf(ChecksumVerdict.Missing.class);
        assertThat(Checksum.CRC16_MODBUS.check("R,1,2*5A", "*").describe())
                .isEqualTo("BAD: no * followed by 4 hex digits at the end of the line");
        assertThat(Checksum.SUM8.check("R,1,2*ZZ", "*").describe()).contains("not hex");
    }

    @Test
    void no_checksum_leaves_the_line_as_it_is() {
        assertThat(Checksum.NONE.check("anything*at all", "*")).isEqualTo(new ChecksumVerdict.Unchecked("anything*at all"));
    }

    @Test
    void configuration_names_are_case_insensitive_and_accept_underscores() {
        assertThat(Checksum.fromConfig("CRC16_Modbus")).contains(Checksum.CRC16_MODBUS);
        assertThat(Checksum.fromConfig(" nmea ")).contains(Checksum.NMEA);
        assertThat(Checksum.fromConfig("crc32")).isEmpty();
    }

    @Property(tries = 300)
    void any_line_with_its_checksum_appended_checks_good(@ForAll("payloads") String payload,
                                                         @ForAll Checksum checksum) {
        String line = checksum.append(payload, "*");

        ChecksumVerdict verdict = checksum.check(line, "*");

        assertThat(verdict.usable()).isTrue();
        assertThat(verdict.payload()).isEqualTo(payload);
    }

    @Property(tries = 300)
    void changing_one_character_is_always_caught(@ForAll("payloads") String payload,
                                                 @ForAll @IntRange(min = 0, max = 1000) int where,
                                                 @ForAll @IntRange(min = 1, max = 94) int delta) {
        for (Checksum checksum : new Checksum[]{Checksum.NMEA, Checksum.CRC16_MODBUS, Checksum.SUM8}) {
            String line = checksum.append(payload, "*");
            int covered = payload.length() - checksum.covered(payload).length();
            if (payload.length() == covered) {
                continue; // nothing covered to change
            }
            int at = covered + where % (payload.length() - covered);
            char changed = (char) (' ' + (payload.charAt(at) - ' ' + delta) % 95);
            String damaged = line.substring(0, at) + changed + line.substring(at + 1);

            assertThat(checksum.check(damaged, "*").usable()).as("%s of %s", checksum, damaged).isFalse();
        }
    }

    @Provide
    Arbitrary<String> payloads() {
        // printable ASCII without the separator, as instruments print
        return Arbitraries.strings().withCharRange(' ', '~').excludeChars('*').ofMinLength(1).ofMaxLength(80);
    }
}
