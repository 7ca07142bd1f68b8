package io.hazwatch.sims;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.ModbusSlaveException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static io.hazwatch.sims.TankFarmRegisters.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TankFarmSimulatorTest {

    private static final Clock FIXED = Clock.fixed(Instant.parse("2024-06-01T00:00:00Z"), ZoneOffset.UTC);

    private final List<TankFarmSimulator> started = new ArrayList<>();

    @AfterEach
    void closeSimulators() {
        started.forEach(TankFarmSimulator::close);
    }

    private TankFarmSimulator start(TankFarmOptions.Builder builder) {
        TankFarmSimulator sim = TankFarmSimulator.start(builder.build());
        started.add(sim);
        return sim;
    }

    private static TankFarmOptions.Builder manual(long seed) {
        return TankFarmOptions.builder().seed(seed).clock(FIXED).manualTicks();
    }

    @Test
    void the_same_seed_gives_the_same_value_sequence_and_another_seed_a_different_one() {
        TankFarmSimulator a = start(manual(42).tanks(3));
        TankFarmSimulator b = start(manual(42).tanks(3));
        TankFarmSimulator c = start(manual(43).tanks(3));
        List<TankSnapshot> seqA = new ArrayList<>();
        List<TankSnapshot> seqB = new ArrayList<>();
        List<TankSnapshot> seqC = new ArrayList<>();
        for (int step = 0; step < 900; step++) {
            a.advance(1);
            b.advance(1);
            c.advance(1);
            for (int t = 0; t < 3; t++) {
                seqA.add(a.snapshot(t));
                seqB.add(b.snapshot(t));
                seqC.add(c.snapshot(t));
            }
        }
        assertThat(seqA).isEqualTo(seqB);
        assertThat(seqA).isNotEqualTo(seqC);
    }

    @Test
    void the_registers_follow_the_fixed_map_for_every_tank() throws ModbusException {
        TankFarmSimulator sim = start(manual(7).tanks(2));
        sim.advance(30);
        try (ModbusProbe probe = ModbusProbe.connect(sim)) {
            int[] regs = probe.holding(0, 2 * TANK_STRIDE);
            for (int t = 0; t < 2; t++) {
                TankSnapshot s = sim.snapshot(t);
                int b = base(t);
                assertThat(ModbusProbe.floatAbcd(regs, b + LEVEL)).isEqualTo((float) s.levelM());
                assertThat(ModbusProbe.floatAbcd(regs, b + ULLAGE)).isEqualTo((float) (TANK_HEIGHT_M - s.levelM()));
                assertThat(ModbusProbe.int16(regs, b + TEMPERATURE) / 10.0).isCloseTo(s.temperatureC(), within(0.05));
                assertThat(ModbusProbe.floatAbcd(regs, b + PRESSURE)).isEqualTo((float) s.pressureKPa());
                assertThat(regs[b + RADAR_STATUS]).isEqualTo(s.radarStatus());
                assertThat(regs[b + GAS_STATUS]).isEqualTo(s.gasStatus());
                assertThat(regs[b + GAS_ID]).isEqualTo(GAS_ID_CH4);
                assertThat(ModbusProbe.floatCdab(regs, b + GAS_CONCENTRATION)).isEqualTo((float) s.gasLel());
                assertThat(regs[b + GAS_CONCENTRATION_X10] / 10.0).isCloseTo(s.gasLel(), within(0.05));
                assertThat(regs[b + GAS_FAULT_CODE]).isZero();
                assertThat(regs[b + GAS_UNIT]).isEqualTo(UNIT_PERCENT_LEL);
                assertThat(ModbusProbe.int16(regs, b + GAS_SENSOR_TEMPERATURE))
                        .isEqualTo((int) Math.round(s.sensorTemperatureC()));
                assertThat(regs[b + RESERVED]).isZero();
                assertThat(regs[b + RESERVED + 1]).isZero();
            }
        }
    }

    @Test
    void input_registers_mirror_the_holding_registers() throws ModbusException {
        TankFarmSimulator sim = start(manual(8).tanks(3));
        sim.advance(5);
        try (ModbusProbe probe = ModbusProbe.connect(sim)) {
            assertThat(probe.input(0, 60)).containsExactly(probe.holding(0, 60));
        }
    }

    @Test
    void a_read_touching_a_register_past_the_last_tank_is_answered_with_illegal_data_address() {
        TankFarmSimulator sim = start(manual(9).tanks(2));
        try (ModbusProbe probe = ModbusProbe.connect(sim)) {
            assertThatThrownBy(() -> probe.holding(2 * TANK_STRIDE - 1, 2))
                    .isInstanceOfSatisfying(ModbusSlaveException.class, e -> assertThat(e.getType()).isEqualTo(2));
            assertThatThrownBy(() -> probe.input(2 * TANK_STRIDE, 1))
                    .isInstanceOfSatisfying(ModbusSlaveException.class, e -> assertThat(e.getType()).isEqualTo(2));
        }
    }

    @Test
    void a_request_for_another_unit_id_is_answered_with_gateway_target_failed() {
        TankFarmSimulator sim = start(manual(10).unitId(5));
        try (ModbusProbe probe = ModbusProbe.connect(sim)) {
            assertThatThrownBy(() -> probe.holding(1, 0, 2))
                    .isInstanceOfSatisfying(ModbusSlaveException.class, e -> assertThat(e.getType()).isEqualTo(0x0B));
        }
    }

    @Test
    void writes_are_refused_with_illegal_function_because_the_simulator_is_read_only() throws ModbusException {
        TankFarmSimulator sim = start(manual(11));
        try (ModbusProbe probe = ModbusProbe.connect(sim)) {
            int before = probe.holding(GAS_ID, 1)[0];
            assertThatThrownBy(() -> probe.writeRegister(GAS_ID, 7))
                    .isInstanceOfSatisfying(ModbusSlaveException.class, e -> assertThat(e.getType()).isEqualTo(1));
            assertThat(probe.holding(GAS_ID, 1)[0]).isEqualTo(before);
        }
    }

    @Test
    void trigger_leak_raises_al1_then_al2_in_the_status_register_and_the_bits_then_clears_them() throws ModbusException {
        TankFarmSimulator sim = start(manual(12).tanks(2).leakRatePerHour(0));
        sim.advance(10);
        assertThat(sim.snapshot(1).al1()).isFalse();
        sim.triggerLeak(1);
        long al1At = -1;
        long al2At = -1;
        for (int s = 1; s <= 120 && al2At < 0; s++) {
            sim.advance(1);
            TankSnapshot snap = sim.snapshot(1);
            if (al1At < 0 && snap.al1()) {
                al1At = s;
                assertThat(snap.gasLel()).isGreaterThanOrEqualTo(AL1_LEL);
            }
            if (snap.al2()) {
                al2At = s;
                assertThat(snap.gasLel()).isGreaterThanOrEqualTo(AL2_LEL);
            }
        }
        assertThat(al1At).as("AL1 within two minutes").isPositive();
        assertThat(al2At).as("AL2 after AL1").isGreaterThanOrEqualTo(al1At);
        try (ModbusProbe probe = ModbusProbe.connect(sim)) {
            int status = probe.holding(base(1) + GAS_STATUS, 1)[0];
            assertThat(status & (GAS_AL1 | GAS_AL2)).isEqualTo(GAS_AL1 | GAS_AL2);
            assertThat(probe.holding(base(0) + GAS_STATUS, 1)[0] & (GAS_AL1 | GAS_AL2))
                    .as("the other tank is not leaking").isZero();
            boolean[] bits = probe.discretes(0, 2 * BITS_PER_TANK);
            assertThat(bits[BITS_PER_TANK + BIT_AL1]).isTrue();
            assertThat(bits[BITS_PER_TANK + BIT_AL2]).isTrue();
            assertThat(bits[BIT_AL1]).isFalse();
            assertThat(probe.coils(0, 2 * BITS_PER_TANK)).containsExactly(bits);
        }
        sim.advance(3600);
        assertThat(sim.snapshot(1).al1()).as("the plume has decayed after an hour").isFalse();
        assertThat(sim.snapshot(1).gasLel()).isLessThanOrEqualTo(2.0);
    }

    @Test
    void the_heartbeat_bit_toggles_every_two_seconds() {
        TankFarmSimulator sim = start(manual(13));
        List<Boolean> beats = new ArrayList<>();
        for (int s = 0; s < 8; s++) {
            sim.advance(1);
            beats.add(sim.snapshot(0).heartbeat());
        }
        // ticks 1..8: on when (tick / 2) is odd
        assertThat(beats).containsExactly(false, true, true, false, false, true, true, false);
    }

    @Test
    void levels_ramp_slowly_with_millimetre_noise_and_stay_inside_the_tank() {
        TankFarmSimulator sim = start(manual(14).tanks(4).echoLossRatePerHour(0));
        double[] previous = new double[4];
        for (int t = 0; t < 4; t++) {
            previous[t] = sim.snapshot(t).levelM();
        }
        double maxStep = 2 * 0.002 + 2.0 / 3600 + 1e-9; // noise both sides plus the fastest ramp
        double[] first = previous.clone();
        for (int s = 0; s < 6 * 3600; s++) {
            sim.advance(1);
            for (int t = 0; t < 4; t++) {
                TankSnapshot snap = sim.snapshot(t);
                assertThat(snap.levelM()).isBetween(2.0 - 0.002, 18.0 + 0.002);
                assertThat(Math.abs(snap.levelM() - previous[t])).isLessThanOrEqualTo(maxStep);
                assertThat(snap.ullageM()).isCloseTo(TANK_HEIGHT_M - snap.levelM(), within(1e-9));
                assertThat(snap.pressureKPa()).isBetween(-1.0, 6.0);
                previous[t] = snap.levelM();
            }
        }
        int moved = 0;
        for (int t = 0; t < 4; t++) {
            if (Math.abs(previous[t] - first[t]) > 0.5) {
                moved++;
            }
        }
        assertThat(moved).as("tanks filled or drained in six hours").isPositive();
    }

    @Test
    void without_leaks_the_gas_reading_stays_in_the_0_to_2_percent_lel_base_noise() {
        TankFarmSimulator sim = start(manual(15).leakRatePerHour(0));
        for (int s = 0; s < 3600; s++) {
            sim.advance(1);
            for (int t = 0; t < sim.tankCount(); t++) {
                assertThat(sim.snapshot(t).gasLel()).isBetween(0.0, 2.0);
                assertThat(sim.snapshot(t).al1()).isFalse();
            }
        }
    }

    @Test
    void spontaneous_leaks_happen_at_the_default_rate_and_raise_alarms() {
        TankFarmSimulator sim = start(manual(16).tanks(4));
        int alarmEpisodes = 0;
        boolean[] inAlarm = new boolean[4];
        for (int s = 0; s < 3 * 3600; s++) {
            sim.advance(1);
            for (int t = 0; t < 4; t++) {
                boolean al1 = sim.snapshot(t).al1();
                if (al1 && !inAlarm[t]) {
                    alarmEpisodes++;
                }
                inAlarm[t] = al1;
            }
        }
        // about 2 leaks per tank per hour, all peaking above 25 %LEL; overlapping plumes merge
        assertThat(alarmEpisodes).isBetween(5, 40);
    }

    @Test
    void the_temperature_follows_the_day_warmer_in_the_afternoon_than_before_dawn() {
        Clock midnightShanghai = Clock.fixed(Instant.parse("2024-06-01T16:00:00Z"), ZoneOffset.UTC);
        TankFarmSimulator sim = start(manual(17).clock(midnightShanghai).tanks(1));
        sim.advance(4 * 3600); // 04:00 local
        double dawn = sim.snapshot(0).temperatureC();
        sim.advance(13 * 3600); // 17:00 local, after the ambient peak at 15:00 and a lag
        double afternoon = sim.snapshot(0).temperatureC();
        assertThat(afternoon - dawn).isGreaterThan(3.0);
    }

    @Test
    void port_zero_binds_an_ephemeral_loopback_port_and_a_closed_port_can_be_reused() {
        TankFarmSimulator sim = start(manual(18));
        int port = sim.port();
        assertThat(port).isPositive();
        assertThat(sim.host()).isEqualTo("127.0.0.1");
        sim.close();
        TankFarmSimulator again = start(manual(18).port(port));
        try (ModbusProbe probe = ModbusProbe.connect(again)) {
            assertThat(probe.isConnected()).isTrue();
            assertThat(again.port()).isEqualTo(port);
        }
    }

    @Test
    void close_drops_connected_clients_and_closing_twice_is_harmless() {
        TankFarmSimulator sim = start(manual(19));
        ModbusProbe probe = ModbusProbe.connect(sim.port(), sim.unitId(), 500);
        try (probe) {
            await().until(() -> sim.connectionCount() == 1);
            sim.close();
            sim.close();
            assertThat(sim.isClosed()).isTrue();
            assertThatThrownBy(() -> probe.holding(0, 2)).isInstanceOf(ModbusException.class);
        }
    }

    @Test
    void drop_connections_closes_clients_while_the_simulator_keeps_listening() throws ModbusException {
        TankFarmSimulator sim = start(manual(20));
        try (ModbusProbe first = ModbusProbe.connect(sim); ModbusProbe second = ModbusProbe.connect(sim)) {
            await().until(() -> sim.connectionCount() == 2);
            sim.dropConnections();
            await().until(() -> sim.connectionCount() == 0);
            // j2mod's master reconnects on its own, which only works because the port still listens
            assertThat(first.holding(GAS_ID, 1)).containsExactly(GAS_ID_CH4);
            assertThat(second.holding(GAS_UNIT, 1)).containsExactly(UNIT_PERCENT_LEL);
            assertThat(sim.connectionCount()).isEqualTo(2);
        }
    }

    @Test
    void a_response_delay_longer_than_the_client_timeout_makes_the_client_time_out() throws ModbusException {
        TankFarmSimulator sim = start(manual(21));
        sim.setResponseDelay(Duration.ofMillis(600));
        try (ModbusProbe probe = ModbusProbe.connect(sim.port(), sim.unitId(), 200)) {
            assertThatThrownBy(() -> probe.holding(0, 2))
                    .isInstanceOf(ModbusException.class)
                    .hasMessageContaining("timeout");
        }
        sim.setResponseDelay(Duration.ZERO);
        try (ModbusProbe probe = ModbusProbe.connect(sim)) {
            assertThat(probe.holding(GAS_UNIT, 1)).containsExactly(UNIT_PERCENT_LEL);
        }
    }

    @Test
    void a_ticking_simulator_advances_on_its_own() {
        TankFarmSimulator sim = start(TankFarmOptions.builder().tickInterval(Duration.ofMillis(20)));
        await().atMost(Duration.ofSeconds(5)).until(() -> sim.ticks() >= 5);
        assertThat(sim.snapshot(0).tick()).isPositive();
    }

    @Test
    void options_refuse_impossible_values() {
        assertThatThrownBy(() -> TankFarmOptions.builder().tanks(0).build()).hasMessageContaining("tanks");
        assertThatThrownBy(() -> TankFarmOptions.builder().port(70000).build()).hasMessageContaining("port");
        assertThatThrownBy(() -> TankFarmOptions.builder().unitId(256).build()).hasMessageContaining("unitId");
        assertThatThrownBy(() -> TankFarmOptions.builder().leakRatePerHour(-1).build())
                .hasMessageContaining("leakRatePerHour");
    }

    @Test
    void writes_of_fc05_fc06_fc15_fc16_land_in_the_scratch_block_and_read_back() throws ModbusException {
        TankFarmSimulator sim = start(manual(30));
        try (ModbusProbe probe = ModbusProbe.connect(sim)) {
            probe.writeRegister(SCRATCH_BASE, 0xBEEF);
            probe.writeRegisters(SCRATCH_BASE + 1, 1, 2, 3);
            probe.writeCoil(SCRATCH_BASE + 5, true);
            probe.writeCoils(SCRATCH_BASE + 6, true, false, true);
            assertThat(probe.holding(SCRATCH_BASE, 4)).containsExactly(0xBEEF, 1, 2, 3);
            assertThat(probe.coils(SCRATCH_BASE + 5, 4)).containsExactly(true, true, false, true);
            assertThat(sim.scratchRegister(SCRATCH_BASE + 3)).isEqualTo(3);
            assertThat(sim.scratchCoil(SCRATCH_BASE + 8)).isTrue();
            assertThatThrownBy(() -> probe.writeRegisters(SCRATCH_BASE + SCRATCH_SIZE - 1, 1, 2))
                    .as("a write leaving the block").isInstanceOfSatisfying(ModbusSlaveException.class,
                            e -> assertThat(e.getType()).isEqualTo(2));
        }
    }

    @Test
    void a_forced_exception_answers_every_request_until_it_is_cleared() throws ModbusException {
        TankFarmSimulator sim = start(manual(31));
        try (ModbusProbe probe = ModbusProbe.connect(sim)) {
            sim.setForcedException(6);
            assertThatThrownBy(() -> probe.holding(0, 2))
                    .isInstanceOfSatisfying(ModbusSlaveException.class, e -> assertThat(e.getType()).isEqualTo(6));
            sim.setForcedException(0);
            assertThat(probe.holding(GAS_UNIT, 1)).containsExactly(UNIT_PERCENT_LEL);
            assertThat(sim.requestCount()).isEqualTo(2);
        }
    }

    @Test
    void a_read_longer_than_the_device_limit_is_answered_with_illegal_data_value() throws ModbusException {
        TankFarmSimulator sim = start(manual(32).tanks(2));
        sim.setReadLimit(16);
        try (ModbusProbe probe = ModbusProbe.connect(sim)) {
            assertThatThrownBy(() -> probe.holding(0, 17))
                    .isInstanceOfSatisfying(ModbusSlaveException.class, e -> assertThat(e.getType()).isEqualTo(3));
            assertThat(probe.holding(0, 16)).hasSize(16);
        }
    }

    @Test
    void the_same_map_is_served_with_rtu_frames_over_tcp() throws ModbusException {
        TankFarmSimulator sim = TankFarmSimulator.startRtuOverTcp(manual(33).tanks(2).build());
        started.add(sim);
        sim.advance(10);
        try (ModbusProbe probe = ModbusProbe.connect(sim.port(), sim.unitId(), 2000, true)) {
            int[] regs = probe.holding(base(1), TANK_STRIDE);
            assertThat(ModbusProbe.floatAbcd(regs, LEVEL)).isEqualTo((float) sim.snapshot(1).levelM());
            assertThat(regs[GAS_UNIT]).isEqualTo(UNIT_PERCENT_LEL);
        }
    }
}
