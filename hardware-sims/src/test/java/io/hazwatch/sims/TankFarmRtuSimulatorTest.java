package io.hazwatch.sims;

import com.fazecast.jSerialComm.SerialPort;
import com.ghgande.j2mod.modbus.Modbus;
import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.facade.ModbusSerialMaster;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.util.SerialParameters;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static io.hazwatch.sims.TankFarmRegisters.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The serial tank-farm simulator on a socat pty pair, probed with j2mod's serial master and test-side
 * decoding (the simulator is checked against the documented layout, not against a production codec).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TankFarmRtuSimulatorTest {

    private static final Clock FIXED = Clock.fixed(Instant.parse("2024-06-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private static ModbusSerialMaster master(Path port, boolean ascii) throws Exception {
        SerialParameters p = new SerialParameters(port.toString(), 19200, 0, 0, ascii ? 7 : 8, 1, ascii ? 2 : 0,
                false);
        p.setEncoding(ascii ? Modbus.SERIAL_ENCODING_ASCII : Modbus.SERIAL_ENCODING_RTU);
        ModbusSerialMaster m = new ModbusSerialMaster(p, 300);
        m.setRetries(1);
        m.connect();
        return m;
    }

    private static int[] holding(ModbusSerialMaster m, int unit, int ref, int count) throws ModbusException {
        InputRegister[] r = m.readMultipleRegisters(unit, ref, count);
        int[] out = new int[r.length];
        for (int i = 0; i < r.length; i++) {
            out[i] = r[i].toUnsignedShort();
        }
        return out;
    }

    private static TankFarmOptions farm(int unit) {
        return TankFarmOptions.builder().tanks(2).seed(40 + unit).unitId(unit).clock(FIXED).manualTicks().build();
    }

    @Test
    void serves_each_units_farm_on_one_line_and_stays_silent_for_other_units() throws Exception {
        try (Pty pty = Pty.open(dir);
             TankFarmRtuSimulator sim = TankFarmRtuSimulator.start(SerialLineOptions.rtu(pty.b.toString(), 19200),
                     List.of(farm(1), farm(2)))) {
            sim.advance(30);
            ModbusSerialMaster m = master(pty.a, false);
            try {
                for (int unit = 1; unit <= 2; unit++) {
                    int[] regs = holding(m, unit, base(1), TANK_STRIDE);
                    assertThat(ModbusProbe.floatAbcd(regs, LEVEL)).isEqualTo((float) sim.snapshot(unit, 1).levelM());
                    assertThat(ModbusProbe.floatCdab(regs, GAS_CONCENTRATION))
                            .isEqualTo((float) sim.snapshot(unit, 1).gasLel());
                    assertThat(regs[GAS_UNIT]).isEqualTo(UNIT_PERCENT_LEL);
                }
                assertThat(sim.snapshot(1, 1).levelM()).as("two farms, two seeds").isNotEqualTo(sim.snapshot(2, 1).levelM());
                assertThatThrownBy(() -> holding(m, 3, 0, 2)).as("no farm answers unit 3")
                        .isInstanceOf(ModbusException.class);
                m.writeSingleRegister(2, SCRATCH_BASE, new SimpleRegister(77));
                assertThat(sim.scratchRegister(2, SCRATCH_BASE)).isEqualTo(77);
                assertThat(sim.scratchRegister(1, SCRATCH_BASE)).as("each farm has its own scratch").isZero();
            } finally {
                m.disconnect();
            }
        }
    }

    /** CRC-16/MODBUS, written here for the test (Modbus over Serial Line v1.02, 6.2.2). */
    private static int crc(byte[] data, int length) {
        int crc = 0xFFFF;
        for (int i = 0; i < length; i++) {
            crc ^= data[i] & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
            }
        }
        return crc;
    }

    /** Sends "read 4 holding registers from 0" to unit 2 (as mbpoll does) and returns the 13-byte answer. */
    private static byte[] rawRead(SerialPort port) {
        byte[] request = {2, 3, 0, 0, 0, 4, 0x44, 0x3A};
        assertThat(port.writeBytes(request, request.length)).isEqualTo(request.length);
        byte[] answer = new byte[13];
        int have = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (have < answer.length && System.nanoTime() < deadline) {
            int n = port.readBytes(answer, answer.length - have, have);
            assertThat(n).isNotNegative();
            have += n;
        }
        assertThat(have).isEqualTo(answer.length);
        return answer;
    }

    @Test
    void a_corrupted_answer_carries_a_wrong_crc_and_the_next_answer_is_intact() {
        try (Pty pty = Pty.open(dir);
             TankFarmRtuSimulator sim = TankFarmRtuSimulator.start(SerialLineOptions.rtu(pty.b.toString(), 19200),
                     farm(2))) {
            SerialPort port = SerialPort.getCommPort(pty.a.toString());
            port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 1000, 0);
            assertThat(port.openPort(0)).isTrue();
            try {
                sim.corruptNextResponses(1);
                byte[] damaged = rawRead(port);
                int expected = crc(damaged, 11);
                assertThat((damaged[11] & 0xFF) | (damaged[12] & 0xFF) << 8).isNotEqualTo(expected);
                byte[] intact = rawRead(port);
                assertThat((intact[11] & 0xFF) | (intact[12] & 0xFF) << 8).isEqualTo(crc(intact, 11));
                assertThat(java.util.Arrays.copyOf(intact, 11)).as("same content, only the CRC was damaged")
                        .isEqualTo(java.util.Arrays.copyOf(damaged, 11));
            } finally {
                port.closePort();
            }
        }
    }

    @Test
    void the_ascii_line_serves_the_same_map() throws Exception {
        try (Pty pty = Pty.open(dir);
             TankFarmRtuSimulator sim = TankFarmRtuSimulator.start(SerialLineOptions.ascii(pty.b.toString(), 19200),
                     farm(1))) {
            sim.advance(5);
            ModbusSerialMaster m = master(pty.a, true);
            try {
                int[] regs = holding(m, 1, 0, TANK_STRIDE);
                assertThat(ModbusProbe.floatAbcd(regs, PRESSURE)).isEqualTo((float) sim.snapshot(1, 0).pressureKPa());
            } finally {
                m.disconnect();
            }
        }
    }

    @Test
    void the_simulator_takes_its_port_back_when_it_vanishes_and_returns() throws Exception {
        try (Pty pty = Pty.open(dir);
             TankFarmRtuSimulator sim = TankFarmRtuSimulator.start(SerialLineOptions.rtu(pty.b.toString(), 19200),
                     farm(1))) {
            await().atMost(Duration.ofSeconds(5)).until(sim::isPortOpen);
            pty.unplug();
            await().atMost(Duration.ofSeconds(5)).until(() -> !sim.isPortOpen());
            pty.plugIn();
            await().atMost(Duration.ofSeconds(15)).until(sim::isPortOpen);
            ModbusSerialMaster m = master(pty.a, false);
            try {
                assertThat(holding(m, 1, GAS_UNIT, 1)).containsExactly(UNIT_PERCENT_LEL);
            } finally {
                m.disconnect();
            }
        }
    }

    @Test
    void options_refuse_what_a_serial_line_cannot_do() {
        assertThatThrownBy(() -> new SerialLineOptions("/dev/x", 9600, 7, SerialLineOptions.Parity.NONE, 1,
                SerialLineOptions.Encoding.RTU)).hasMessageContaining("8 data bits");
        assertThatThrownBy(() -> TankFarmRtuSimulator.start(SerialLineOptions.rtu("/dev/x", 9600),
                List.of(farm(1), farm(1)))).hasMessageContaining("two farms with unit id 1");
        assertThatThrownBy(() -> TankFarmRtuSimulator.start(SerialLineOptions.rtu("/dev/x", 9600),
                TankFarmOptions.builder().unitId(0).build())).hasMessageContaining("1..247");
    }
}
