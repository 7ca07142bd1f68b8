package io.hazwatch.drivers.modbus.internal;

import io.hazwatch.drivers.modbus.ModbusTable;
import io.hazwatch.drivers.modbus.SerialSettings;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Serial-line wire code against golden vectors: from the Modbus specifications where they print one,
 * else captured from mbpoll (libmodbus) on a pty. No ports, no waiting.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SerialFramingTest {

    private static final HexFormat HEX = HexFormat.ofDelimiter(" ").withUpperCase();
    private static final long DEADLINE = Long.MAX_VALUE;

    private static byte[] hex(String text) {
        return HEX.parseHex(text);
    }

    @Nested
    class Crc {
        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({
                // Modbus over Serial Line v1.02, 6.2.2: "02 07" has CRC 0x1241, sent 41 12
                "02 07, 41 12",
                // sent by mbpoll 1.0 (libmodbus) to read 4 holding registers of units 2 and 3
                "02 03 00 00 00 04, 44 3A",
                "03 03 00 00 00 04, 45 EB",
                "01 03 00 00 00 0A, C5 CD"
        })
        void crc16_modbus_matches_the_published_vectors_low_byte_first(String data, String crc) {
            byte[] bytes = hex(data);
            int value = Crc16.of(bytes, 0, bytes.length);
            assertThat(HEX.formatHex(new byte[]{(byte) value, (byte) (value >>> 8)})).isEqualTo(crc);
            assertThat(Crc16.matches(hex(data + " " + crc), bytes.length + 2)).isTrue();
        }

        @Test
        void one_flipped_bit_anywhere_is_caught() {
            byte[] frame = hex("01 03 00 00 00 0A C5 CD");
            for (int bit = 0; bit < frame.length * 8; bit++) {
                byte[] damaged = frame.clone();
                damaged[bit / 8] ^= (byte) (1 << (bit % 8));
                assertThat(Crc16.matches(damaged, damaged.length)).as("bit " + bit).isFalse();
            }
        }
    }

    @Nested
    class Lrc {
        @Test
        void lrc_is_the_twos_complement_of_the_byte_sum() {
            // unit 1, read 10 holding registers from 0: 1 + 3 + 10 = 14, LRC 0xF2
            assertThat(io.hazwatch.drivers.modbus.internal.Lrc.of(hex("01 03 00 00 00 0A"), 0, 6)).isEqualTo(0xF2);
        }
    }

    @Nested
    class Pdus {
        @Test
        void requests_match_the_examples_of_the_application_protocol() {
            // Modbus Application Protocol v1.1b, 6.3, 6.5, 6.6, 6.11 and 6.12 examples
            assertThat(HEX.formatHex(Pdu.readRequest(ModbusTable.HOLDING, 0x6B, 3))).isEqualTo("03 00 6B 00 03");
            assertThat(HEX.formatHex(Pdu.writeRequest(new WriteCommand.SingleCoil(0xAC, true)))).isEqualTo("05 00 AC FF 00");
            assertThat(HEX.formatHex(Pdu.writeRequest(new WriteCommand.SingleRegister(1, 3)))).isEqualTo("06 00 01 00 03");
            boolean[] coils = {true, false, true, true, false, false, true, true, true, false};
            assertThat(HEX.formatHex(Pdu.writeRequest(new WriteCommand.MultipleCoils(0x13, coils))))
                    .isEqualTo("0F 00 13 00 0A 02 CD 01");
            assertThat(HEX.formatHex(Pdu.writeRequest(new WriteCommand.MultipleRegisters(1, new int[]{0x000A, 0x0102}))))
                    .isEqualTo("10 00 01 00 02 04 00 0A 01 02");
        }

        @Test
        void a_coil_answer_unpacks_lsb_first_as_in_the_example_of_6_1() {
            // coils 20..38: CD 6B 05
            ReadOutcome outcome = Pdu.readAnswer(hex("01 03 CD 6B 05"), ModbusTable.COIL, 19);
            boolean[] bits = ((ReadOutcome.Bits) outcome).values();
            assertThat(bits[0]).isTrue();
            assertThat(bits[1]).isFalse();
            assertThat(bits[2]).isTrue();
            assertThat(bits[3]).isTrue();
            assertThat(bits[8]).isTrue();
            assertThat(bits[18]).isTrue();
        }

        @Test
        void a_register_answer_with_the_wrong_byte_count_is_refused() {
            assertThat(Pdu.readAnswer(hex("03 04 00 01 00 02"), ModbusTable.HOLDING, 3))
                    .isInstanceOf(ReadOutcome.CommFailure.class);
            assertThat(((ReadOutcome.Registers) Pdu.readAnswer(hex("03 04 00 01 00 02"), ModbusTable.HOLDING, 2))
                    .values()).containsExactly(1, 2);
        }

        @Test
        void an_exception_answer_carries_its_code() {
            assertThat(Pdu.readAnswer(hex("83 02"), ModbusTable.HOLDING, 2))
                    .isEqualTo(new ReadOutcome.DeviceException(2));
            assertThat(Pdu.writeAnswer(hex("90 01"), new WriteCommand.MultipleRegisters(0, new int[]{1})))
                    .isEqualTo(new ReadOutcome.DeviceException(1));
        }

        @Test
        void a_write_is_confirmed_only_by_a_matching_echo() {
            WriteCommand command = new WriteCommand.SingleRegister(1, 3);
            assertThat(Pdu.writeAnswer(hex("06 00 01 00 03"), command)).isInstanceOf(WriteOutcome.Written.class);
            assertThat(Pdu.writeAnswer(hex("06 00 01 00 04"), command)).isInstanceOf(ReadOutcome.CommFailure.class);
        }
    }

    @Nested
    class Rtu {
        private final RtuFraming rtu = new RtuFraming(3_645_833);

        @Test
        void a_frame_is_address_pdu_and_crc_low_byte_first() {
            assertThat(HEX.formatHex(rtu.encode(2, Pdu.readRequest(ModbusTable.HOLDING, 0, 4))))
                    .isEqualTo("02 03 00 00 00 04 44 3A");
        }

        @Test
        void an_answer_arriving_in_bursts_ends_where_its_byte_count_says() throws IOException {
            byte[] frame = rtu.encode(1, hex("03 04 41 A0 00 00"));
            ScriptedStream in = new ScriptedStream()
                    .burst(new byte[]{frame[0]})
                    .burst(java.util.Arrays.copyOfRange(frame, 1, 5))
                    .burst(java.util.Arrays.copyOfRange(frame, 5, frame.length))
                    .burst("01 02 03"); // whatever follows belongs to no answer of ours
            Exchange answer = rtu.readAnswer(in, 1, 3, DEADLINE);
            assertThat(answer).isInstanceOf(Exchange.Reply.class);
            assertThat(HEX.formatHex(((Exchange.Reply) answer).pdu())).isEqualTo("03 04 41 A0 00 00");
            assertThat(in.left()).as("never reads past the frame").isEqualTo(3);
        }

        @Test
        void an_exception_answer_is_five_bytes() throws IOException {
            ScriptedStream in = new ScriptedStream().burst(rtu.encode(1, hex("83 02")));
            Exchange answer = rtu.readAnswer(in, 1, 3, DEADLINE);
            assertThat(Pdu.readAnswer(((Exchange.Reply) answer).pdu(), ModbusTable.HOLDING, 2))
                    .isEqualTo(new ReadOutcome.DeviceException(2));
        }

        @Test
        void a_bad_crc_is_a_damaged_answer_and_the_rest_of_the_burst_is_drained() throws IOException {
            byte[] frame = rtu.encode(1, hex("03 02 00 2A"));
            frame[frame.length - 1] ^= 0x01;
            ScriptedStream in = new ScriptedStream().burst(frame).burst("FF FF");
            Exchange answer = rtu.readAnswer(in, 1, 3, DEADLINE);
            assertThat(answer).isInstanceOf(ReadOutcome.Garbled.class);
            assertThat(((ReadOutcome.Garbled) answer).message()).startsWith("CRC error");
            assertThat(in.left()).isZero();
        }

        @Test
        void silence_is_a_timeout_and_a_frame_cut_short_is_damaged() throws IOException {
            assertThat(rtu.readAnswer(new ScriptedStream(), 1, 3, DEADLINE)).isInstanceOf(ReadOutcome.Timeout.class);
            byte[] frame = rtu.encode(1, hex("03 04 41 A0 00 00"));
            ScriptedStream cut = new ScriptedStream().burst(java.util.Arrays.copyOf(frame, 6));
            assertThat(rtu.readAnswer(cut, 1, 3, DEADLINE)).isInstanceOfSatisfying(ReadOutcome.Garbled.class,
                    g -> assertThat(g.message()).contains("cut short", "6 of 9"));
        }

        @Test
        void an_answer_from_another_unit_or_for_another_function_is_damaged() throws IOException {
            assertThat(rtu.readAnswer(new ScriptedStream().burst(rtu.encode(2, hex("03 02 00 2A"))), 1, 3, DEADLINE))
                    .isInstanceOfSatisfying(ReadOutcome.Garbled.class,
                            g -> assertThat(g.message()).contains("unit 2, expected 1"));
            assertThat(rtu.readAnswer(new ScriptedStream().burst(rtu.encode(1, hex("04 02 00 2A"))), 1, 3, DEADLINE))
                    .isInstanceOfSatisfying(ReadOutcome.Garbled.class,
                            g -> assertThat(g.message()).contains("function code 4"));
        }
    }

    @Nested
    class Ascii {
        private final AsciiFraming ascii = new AsciiFraming();

        @Test
        void a_frame_is_colon_hex_lrc_cr_lf() {
            assertThat(new String(ascii.encode(1, Pdu.readRequest(ModbusTable.HOLDING, 0, 10)), StandardCharsets.US_ASCII))
                    .isEqualTo(":01030000000AF2\r\n");
        }

        @Test
        void noise_before_the_colon_is_dropped_and_the_answer_decoded() throws IOException {
            byte[] frame = ascii.encode(1, hex("03 02 00 2A"));
            ScriptedStream in = new ScriptedStream().burst("00 FF 0D 0A")
                    .burst(java.util.Arrays.copyOf(frame, 5)).burst(java.util.Arrays.copyOfRange(frame, 5, frame.length));
            Exchange answer = ascii.readAnswer(in, 1, 3, DEADLINE);
            assertThat(HEX.formatHex(((Exchange.Reply) answer).pdu())).isEqualTo("03 02 00 2A");
        }

        @Test
        void a_bad_lrc_is_a_damaged_answer() throws IOException {
            byte[] frame = ascii.encode(1, hex("03 02 00 2A"));
            frame[3] = (byte) (frame[3] == '0' ? '1' : '0');
            assertThat(ascii.readAnswer(new ScriptedStream().burst(frame), 1, 3, DEADLINE))
                    .isInstanceOfSatisfying(ReadOutcome.Garbled.class, g -> assertThat(g.message()).startsWith("LRC error"));
        }
    }

    @Nested
    class Timing {
        @Test
        void the_inter_frame_gap_is_three_and_a_half_characters_up_to_19200_baud() {
            // 8N1: 10 bits per character; 8E1: 11 bits
            assertThat(new SerialSettings("p", 9600, 8, SerialSettings.Parity.NONE, 1).interFrameNanos() / 1e6)
                    .isCloseTo(3.5 * 10 / 9.6, within(1e-3));
            assertThat(new SerialSettings("p", 9600, 8, SerialSettings.Parity.EVEN, 1).interFrameNanos() / 1e6)
                    .isCloseTo(3.5 * 11 / 9.6, within(1e-3));
            assertThat(new SerialSettings("p", 19200, 8, SerialSettings.Parity.NONE, 1).interFrameNanos() / 1e6)
                    .isCloseTo(3.5 * 10 / 19.2, within(1e-3));
        }

        @Test
        void above_19200_baud_the_gap_is_a_fixed_1_75_ms() {
            for (int baud : new int[]{38400, 57600, 115200}) {
                assertThat(new SerialSettings("p", baud, 8, SerialSettings.Parity.NONE, 1).interFrameNanos())
                        .isEqualTo(1_750_000L);
            }
        }

        @Test
        void the_wire_time_of_a_frame_counts_every_bit_of_every_character() {
            SerialSettings s = new SerialSettings("p", 9600, 8, SerialSettings.Parity.NONE, 2);
            assertThat(s.bitsPerCharacter()).isEqualTo(11);
            assertThat(s.wireNanos(8) / 1e6).isCloseTo(8 * 11 / 9.6, within(1e-3));
        }
    }
}
