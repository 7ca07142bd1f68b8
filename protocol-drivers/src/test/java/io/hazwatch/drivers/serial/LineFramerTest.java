package io.hazwatch.drivers.serial;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LineFramerTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void lf_and_crlf_lines_both_come_out_without_their_line_end() {
        LineFramer framer = new LineFramer(Framing.lines());

        assertThat(framer.feed(bytes("$A,1*00\r\n$B,2*00\nC"))).containsExactly("$A,1*00", "$B,2*00");
        assertThat(framer.feed(bytes("\r\n"))).containsExactly("C");
    }

    @Test
    void a_line_split_over_many_reads_is_put_back_together() {
        LineFramer framer = new LineFramer(Framing.lines());
        List<String> frames = new ArrayList<>();
        for (byte b : bytes("R,01440,00720*5B43\r\n")) {
            frames.addAll(framer.feed(new byte[]{b}));
        }
        assertThat(frames).containsExactly("R,01440,00720*5B43");
    }

    @Test
    void with_start_and_end_delimiters_noise_outside_frames_is_dropped_and_the_delimiters_removed() {
        LineFramer framer = new LineFramer(new Framing("\u0002", "\u0003", 64));

        assertThat(framer.feed(bytes("noise\u0002T=21.5\u0003garbage\u0002H=40\u0003")))
                .containsExactly("T=21.5", "H=40");
    }

    @Test
    void a_second_start_before_the_end_restarts_the_frame() {
        LineFramer framer = new LineFramer(new Framing("#", "\r\n", 64));

        assertThat(framer.feed(bytes("#cut off#whole\r\n"))).containsExactly("whole");
    }

    @Test
    void a_line_longer_than_the_maximum_is_discarded_up_to_its_end_and_counted() {
        LineFramer framer = new LineFramer(new Framing("", "\n", 8));

        List<String> frames = framer.feed(bytes("12345678\n123456789\r\nABCDEFGHIJKLMNOPQRSTUVWXYZ\nok\n"));

        assertThat(frames).containsExactly("12345678", "ok");
        assertThat(framer.overlongFrames()).isEqualTo(2);
    }

    @Test
    void a_line_of_exactly_the_maximum_length_with_crlf_is_kept() {
        LineFramer framer = new LineFramer(new Framing("", "\n", 4));

        assertThat(framer.feed(bytes("abcd\r\nabcde\r\n"))).containsExactly("abcd");
        assertThat(framer.overlongFrames()).isOne();
    }

    @Property(tries = 200)
    void any_bytes_in_any_chunks_give_the_same_frames_none_longer_than_the_maximum(
            @ForAll @Size(max = 400) byte[] stream, @ForAll @IntRange(min = 1, max = 37) int chunk,
            @ForAll boolean withStart) {
        Framing framing = withStart ? new Framing("$", "\r\n", 16) : new Framing("", "\n", 16);
        LineFramer whole = new LineFramer(framing);
        LineFramer pieces = new LineFramer(framing);

        List<String> expected = whole.feed(stream);
        List<String> actual = new ArrayList<>();
        for (int i = 0; i < stream.length; i += chunk) {
            actual.addAll(pieces.feed(stream, i, Math.min(chunk, stream.length - i)));
        }

        assertThat(actual).isEqualTo(expected);
        assertThat(pieces.overlongFrames()).isEqualTo(whole.overlongFrames());
        assertThat(actual).allSatisfy(f -> assertThat(f.length()).isLessThanOrEqualTo(16));
    }
}
