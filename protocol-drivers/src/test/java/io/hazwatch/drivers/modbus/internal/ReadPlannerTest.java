package io.hazwatch.drivers.modbus.internal;

import io.hazwatch.drivers.modbus.ModbusTable;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static io.hazwatch.drivers.modbus.ModbusTable.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReadPlannerTest {

    private final ReadPlanner planner = new ReadPlanner(125, 8);

    private static ChannelSpan span(int channel, ModbusTable table, int start, int quantity) {
        return new ChannelSpan(channel, table, start, quantity);
    }

    private static String ranges(List<ReadRequest> plan) {
        return String.join(" ", plan.stream().map(r -> r.table().configName() + ":" + r.start() + "+" + r.quantity())
                .toList());
    }

    @Test
    void adjacent_channels_of_one_table_merge_into_one_request() {
        List<ReadRequest> plan = planner.plan(List.of(span(0, HOLDING, 0, 2), span(1, HOLDING, 2, 2),
                span(2, HOLDING, 4, 1)));
        assertThat(ranges(plan)).isEqualTo("holding:0+5");
        assertThat(plan.get(0).members()).extracting(ChannelSpan::channel).containsExactly(0, 1, 2);
    }

    @Test
    void channels_are_planned_in_address_order_whatever_the_configuration_order() {
        List<ReadRequest> plan = planner.plan(List.of(span(0, HOLDING, 10, 1), span(1, HOLDING, 0, 2),
                span(2, HOLDING, 5, 1)));
        assertThat(ranges(plan)).isEqualTo("holding:0+11");
        assertThat(plan.get(0).members()).extracting(ChannelSpan::channel).containsExactly(1, 2, 0);
    }

    @Test
    void a_gap_of_exactly_max_gap_registers_is_read_across_and_one_more_splits() {
        // channel at 0..1, next at 10: gap 2..9 = 8 registers
        assertThat(ranges(planner.plan(List.of(span(0, HOLDING, 0, 2), span(1, HOLDING, 10, 2)))))
                .isEqualTo("holding:0+12");
        // next at 11: gap of 9
        assertThat(ranges(planner.plan(List.of(span(0, HOLDING, 0, 2), span(1, HOLDING, 11, 2)))))
                .isEqualTo("holding:0+2 holding:11+2");
    }

    @Test
    void a_max_gap_of_zero_merges_only_touching_channels() {
        ReadPlanner strict = new ReadPlanner(125, 0);
        assertThat(ranges(strict.plan(List.of(span(0, HOLDING, 0, 2), span(1, HOLDING, 2, 1), span(2, HOLDING, 4, 1)))))
                .isEqualTo("holding:0+3 holding:4+1");
    }

    @Test
    void no_request_exceeds_125_registers() {
        List<ChannelSpan> spans = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            spans.add(span(i, HOLDING, 2 * i, 2)); // 200 contiguous registers
        }
        List<ReadRequest> plan = planner.plan(spans);
        assertThat(ranges(plan)).isEqualTo("holding:0+124 holding:124+76");
        assertThat(plan).allSatisfy(r -> assertThat(r.quantity()).isLessThanOrEqualTo(125));
        assertThat(plan.stream().mapToInt(r -> r.members().size()).sum()).isEqualTo(100);
    }

    @Test
    void a_float_is_never_cut_across_two_requests_at_the_limit() {
        ReadPlanner small = new ReadPlanner(5, 8);
        List<ReadRequest> plan = small.plan(List.of(span(0, HOLDING, 0, 2), span(1, HOLDING, 2, 2), span(2, HOLDING, 4, 2)));
        assertThat(ranges(plan)).isEqualTo("holding:0+4 holding:4+2");
    }

    @Test
    void a_smaller_max_registers_per_read_is_honoured() {
        ReadPlanner small = new ReadPlanner(10, 8);
        List<ChannelSpan> spans = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            spans.add(span(i, INPUT, i, 1));
        }
        assertThat(ranges(small.plan(spans))).isEqualTo("input:0+10 input:10+10 input:20+10");
    }

    @Test
    void channels_reading_the_same_register_share_one_request() {
        List<ReadRequest> plan = planner.plan(List.of(span(0, HOLDING, 10, 1), span(1, HOLDING, 10, 1),
                span(2, HOLDING, 9, 2)));
        assertThat(ranges(plan)).isEqualTo("holding:9+2");
        assertThat(plan.get(0).members()).hasSize(3);
    }

    @Test
    void tables_are_never_mixed_and_come_in_a_fixed_order() {
        List<ReadRequest> plan = planner.plan(List.of(span(0, DISCRETE, 0, 1), span(1, INPUT, 0, 2),
                span(2, HOLDING, 0, 2), span(3, COIL, 3, 1)));
        assertThat(ranges(plan)).isEqualTo("holding:0+2 input:0+2 coil:3+1 discrete:0+1");
    }

    @Test
    void bit_tables_merge_across_sixteen_bits_per_register_of_gap_and_up_to_2000_bits() {
        // maxGap 8 registers = 128 bits
        assertThat(ranges(planner.plan(List.of(span(0, COIL, 0, 1), span(1, COIL, 129, 1)))))
                .isEqualTo("coil:0+130");
        assertThat(ranges(planner.plan(List.of(span(0, COIL, 0, 1), span(1, COIL, 130, 1)))))
                .isEqualTo("coil:0+1 coil:130+1");
        List<ChannelSpan> many = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            many.add(span(i, DISCRETE, i, 1));
        }
        assertThat(ranges(planner.plan(many))).isEqualTo("discrete:0+2000 discrete:2000+500");
    }

    @Test
    void an_empty_device_needs_no_requests() {
        assertThat(planner.plan(List.of())).isEmpty();
    }

    @Test
    void split_halves_a_request_between_separate_channels_and_drops_the_gap() {
        ReadRequest merged = planner.plan(List.of(span(0, HOLDING, 0, 2), span(1, HOLDING, 2, 2),
                span(2, HOLDING, 8, 2), span(3, HOLDING, 12, 2))).get(0);
        assertThat(merged.quantity()).isEqualTo(14);
        List<ReadRequest> parts = ReadPlanner.split(merged).orElseThrow();
        assertThat(ranges(parts)).isEqualTo("holding:0+4 holding:8+6");
        assertThat(parts.get(0).members()).extracting(ChannelSpan::channel).containsExactly(0, 1);
        assertThat(parts.get(1).members()).extracting(ChannelSpan::channel).containsExactly(2, 3);
    }

    @Test
    void split_keeps_overlapping_channels_together_while_there_are_separate_groups() {
        ReadRequest merged = planner.plan(List.of(span(0, HOLDING, 10, 1), span(1, HOLDING, 10, 1),
                span(2, HOLDING, 10, 1), span(3, HOLDING, 18, 2))).get(0);
        assertThat(merged.quantity()).isEqualTo(10);
        List<ReadRequest> parts = ReadPlanner.split(merged).orElseThrow();
        assertThat(ranges(parts)).isEqualTo("holding:10+1 holding:18+2");
        assertThat(parts.get(0).members()).hasSize(3);
    }

    @Test
    void split_separates_partly_overlapping_channels_of_a_single_group() {
        ReadRequest merged = planner.plan(List.of(span(0, HOLDING, 39, 1), span(1, HOLDING, 39, 2))).get(0);
        List<ReadRequest> parts = ReadPlanner.split(merged).orElseThrow();
        assertThat(ranges(parts)).isEqualTo("holding:39+1 holding:39+2");
    }

    @Test
    void a_request_whose_channels_all_need_the_same_addresses_cannot_be_split() {
        ReadRequest single = planner.plan(List.of(span(0, HOLDING, 40, 2))).get(0);
        assertThat(ReadPlanner.split(single)).isEmpty();
        ReadRequest sameBits = planner.plan(List.of(span(0, HOLDING, 7, 1), span(1, HOLDING, 7, 1))).get(0);
        assertThat(ReadPlanner.split(sameBits)).isEmpty();
    }

    @Test
    void repeated_splitting_after_illegal_address_leaves_only_the_channels_that_truly_fail() {
        // a device with registers 0..39 only (two tanks); channels on every register pair plus one at 40
        List<ChannelSpan> spans = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            spans.add(span(i, HOLDING, 2 * i, 2));
        }
        spans.add(span(20, HOLDING, 40, 2));
        Predicate<ReadRequest> deviceAccepts = r -> r.end() <= 39;

        List<ReadRequest> plan = new ArrayList<>(planner.plan(spans));
        assertThat(plan).hasSize(1);
        List<Integer> failed = new ArrayList<>();
        int transactions = 0;
        int i = 0;
        while (i < plan.size()) {
            ReadRequest r = plan.get(i);
            transactions++;
            if (deviceAccepts.test(r)) {
                i++;
                continue;
            }
            Optional<List<ReadRequest>> parts = ReadPlanner.split(r);
            if (parts.isPresent()) {
                plan.remove(i);
                plan.addAll(i, parts.get());
            } else {
                r.members().forEach(m -> failed.add(m.channel()));
                i++;
            }
        }
        assertThat(failed).containsExactly(20);
        assertThat(plan).allSatisfy(r -> assertThat(r.members()).isNotEmpty());
        assertThat(plan.stream().mapToInt(r -> r.members().size()).sum()).isEqualTo(21);
        assertThat(transactions).as("binary splitting stays logarithmic").isLessThanOrEqualTo(15);
        assertThat(plan.size()).as("the remembered plan stays small").isLessThanOrEqualTo(7);
    }

    @Test
    void the_planner_refuses_limits_outside_the_protocol() {
        assertThatThrownBy(() -> new ReadPlanner(126, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReadPlanner(0, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReadPlanner(125, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void no_merged_request_reaches_into_addresses_the_device_refused() {
        Refusals refusals = new Refusals();
        refusals.refuse(HOLDING, 3, 4); // a hole between two channels
        List<ChannelSpan> spans = List.of(span(0, HOLDING, 0, 2), span(1, HOLDING, 6, 2), span(2, HOLDING, 8, 1));
        assertThat(ranges(planner.plan(spans))).isEqualTo("holding:0+9");
        assertThat(ranges(planner.plan(spans, refusals))).isEqualTo("holding:0+2 holding:6+3");
        assertThat(ranges(planner.plan(List.of(span(0, INPUT, 0, 2), span(1, INPUT, 6, 2)), refusals)))
                .as("refusals belong to their table").isEqualTo("input:0+8");
    }

    @Test
    void a_channel_whose_own_addresses_were_refused_keeps_a_request_of_its_own() {
        Refusals refusals = new Refusals();
        refusals.refuse(HOLDING, 4, 5);
        List<ChannelSpan> spans = List.of(span(0, HOLDING, 0, 2), span(1, HOLDING, 2, 2), span(2, HOLDING, 4, 2),
                span(3, HOLDING, 6, 2));
        assertThat(ranges(planner.plan(spans, refusals))).isEqualTo("holding:0+4 holding:4+2 holding:6+2");
    }

    @Test
    void a_limit_learnt_from_exception_3_caps_every_later_request_of_that_kind() {
        Refusals refusals = new Refusals();
        refusals.lowerLimit(HOLDING, 16);
        List<ChannelSpan> spans = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            spans.add(span(i, i < 10 ? HOLDING : INPUT, 2 * (i % 10), 2));
        }
        assertThat(ranges(planner.plan(spans, refusals))).isEqualTo("holding:0+16 holding:16+4 input:0+16 input:16+4");
        assertThat(refusals.limit(COIL, 2000)).as("bit tables keep theirs").isEqualTo(2000);
        refusals.lowerLimit(HOLDING, 40);
        assertThat(refusals.limit(HOLDING, 125)).as("a limit only ever goes down").isEqualTo(16);
    }
}
