package io.hazwatch.drivers.modbus;

import io.hazwatch.drivers.modbus.testing.ExternalProcess;
import io.hazwatch.drivers.modbus.testing.Peers;
import io.hazwatch.drivers.modbus.testing.PtyPair;
import io.hazwatch.sims.SerialLineOptions;
import io.hazwatch.sims.TankFarmOptions;
import io.hazwatch.sims.TankFarmRegisters;
import io.hazwatch.sims.TankFarmRtuSimulator;
import io.hazwatch.sims.TankFarmSimulator;
import io.hazwatch.sims.TankSnapshot;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.hazwatch.sims.TankFarmRegisters.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Interop with a peer no one here wrote: mbpoll (Debian; libmodbus underneath) reads our tank-farm
 * simulators, over TCP and over RTU on a socat pty pair, and what it prints must be the simulator's
 * snapshot. mbpoll numbers references from 1.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MbpollInteropTest {

    private static final Pattern VALUE = Pattern.compile("^\\[(\\d+)\\]:\\s+(\\S+)", Pattern.MULTILINE);

    @TempDir
    Path dir;

    /** mbpoll's "[ref]: value" lines, by reference. */
    private static Map<Integer, Double> values(ExternalProcess.Result result) {
        assertThat(result.exitCode()).as(result.output()).isZero();
        Map<Integer, Double> out = new TreeMap<>();
        Matcher m = VALUE.matcher(result.output());
        while (m.find()) {
            // "-nan" or "inf" where two unrelated registers happen to make a float: not compared
            try {
                out.put(Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2)));
            } catch (NumberFormatException e) {
                out.put(Integer.parseInt(m.group(1)), Double.NaN);
            }
        }
        return out;
    }

    private static ExternalProcess.Result mbpoll(List<String> connection, String... args) {
        return mbpoll(connection, List.of(), args);
    }

    /** mbpoll takes options, then the device or host, then the values to write. */
    private static ExternalProcess.Result mbpoll(List<String> connection, List<String> writeValues, String... args) {
        List<String> command = new ArrayList<>(List.of("mbpoll", "-1", "-o", "2"));
        command.addAll(List.of(args));
        command.addAll(connection);
        command.addAll(writeValues);
        return ExternalProcess.run(command, Duration.ofSeconds(30));
    }

    /** Reads tank {@code t}'s map with mbpoll and compares it with the snapshot. */
    private static void assertTankAsSnapshot(List<String> connection, IntFunction<TankSnapshot> snapshot, int t) {
        String ref = String.valueOf(base(t) + 1);
        Map<Integer, Double> raw = values(mbpoll(connection, "-a", "1", "-r", ref, "-c", "20", "-t", "4"));
        assertThat(raw).hasSize(20);
        TankSnapshot s = snapshot.apply(t);
        int b = base(t) + 1;
        assertThat(raw.get(b + TEMPERATURE)).isEqualTo((double) (Math.round(s.temperatureC() * 10) & 0xFFFF));
        assertThat(raw.get(b + RADAR_STATUS)).isEqualTo((double) s.radarStatus());
        assertThat(raw.get(b + GAS_STATUS)).isEqualTo((double) s.gasStatus());
        assertThat(raw.get(b + GAS_ID)).isEqualTo(1.0);
        assertThat(raw.get(b + GAS_UNIT)).isEqualTo(3.0);
        assertThat(raw.get(b + RESERVED)).isZero();

        // -B: big-endian word order (ABCD); without it mbpoll reads the low word first (CDAB)
        Map<Integer, Double> abcd = values(mbpoll(connection, "-a", "1", "-r", ref, "-c", "2", "-t", "4:float", "-B"));
        assertThat(abcd.get(b + LEVEL)).isCloseTo((float) s.levelM(), within(1e-5 * Math.max(1, s.levelM())));
        assertThat(abcd.get(b + ULLAGE)).isCloseTo((float) s.ullageM(), within(1e-5 * Math.max(1, s.ullageM())));
        Map<Integer, Double> cdab = values(mbpoll(connection, "-a", "1", "-r", String.valueOf(b + GAS_CONCENTRATION),
                "-c", "1", "-t", "4:float"));
        assertThat(cdab.get(b + GAS_CONCENTRATION)).isCloseTo(s.gasLel(), within(1e-4 * Math.max(1, s.gasLel())));
    }

    @Test
    void mbpoll_reads_the_tank_farm_simulator_over_tcp_as_its_snapshot_says_and_writes_its_scratch_block() {
        Peers.assumeMbpoll();
        try (TankFarmSimulator sim = TankFarmSimulator.start(TankFarmOptions.builder().tanks(2).seed(7)
                .clock(ModbusDriverContract.SIM_CLOCK).manualTicks().build())) {
            sim.triggerLeak(1);
            sim.advance(90);
            List<String> tcp = List.of("-m", "tcp", "-p", String.valueOf(sim.port()), "127.0.0.1");
            assertTankAsSnapshot(tcp, sim::snapshot, 0);
            assertTankAsSnapshot(tcp, sim::snapshot, 1);

            ExternalProcess.Result written = mbpoll(tcp, List.of("1234", "65531"), "-a", "1", "-r",
                    String.valueOf(SCRATCH_BASE + 1), "-t", "4");
            assertThat(written.exitCode()).as(written.output()).isZero();
            assertThat(sim.scratchRegister(SCRATCH_BASE)).isEqualTo(1234);
            assertThat(sim.scratchRegister(SCRATCH_BASE + 1)).isEqualTo(0xFFFB);

            ExternalProcess.Result beyond = mbpoll(tcp, "-a", "1", "-r", String.valueOf(2 * TANK_STRIDE + 1), "-c", "2",
                    "-t", "4");
            assertThat(beyond.output()).as("a read past the last tank").containsIgnoringCase("Illegal data address");
        }
    }

    @Test
    void mbpoll_reads_the_rtu_simulator_on_a_pty_pair_as_its_snapshot_says() {
        Peers.assumeMbpoll();
        Peers.assumeSocat();
        try (PtyPair pty = PtyPair.open(dir);
             TankFarmRtuSimulator sim = TankFarmRtuSimulator.start(SerialLineOptions.rtu(pty.b().toString(), 19200),
                     TankFarmOptions.builder().tanks(2).seed(7).clock(ModbusDriverContract.SIM_CLOCK).manualTicks()
                             .build())) {
            sim.advance(90);
            List<String> rtu = List.of("-m", "rtu", "-b", "19200", "-P", "none", "-s", "1", pty.a().toString());
            assertTankAsSnapshot(rtu, tank -> sim.snapshot(1, tank), 0);
            assertTankAsSnapshot(rtu, tank -> sim.snapshot(1, tank), 1);
        }
    }
}
