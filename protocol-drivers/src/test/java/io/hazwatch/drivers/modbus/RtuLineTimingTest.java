package io.hazwatch.drivers.modbus;

import io.hazwatch.drivers.modbus.internal.Crc16;
import io.hazwatch.drivers.modbus.testing.Peers;
import io.hazwatch.drivers.modbus.testing.PtyPair;
import io.hazwatch.drivers.modbus.testing.SerialLineEmulator;
import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.drivers.spi.Sample;
import io.hazwatch.sims.SerialLineOptions;
import io.hazwatch.sims.TankFarmOptions;
import io.hazwatch.sims.TankFarmRtuSimulator;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RTU with real serial framing and timing: driver and simulator on two socat pty pairs joined by a
 * {@link SerialLineEmulator} that carries each byte at the baud rate, so the silent intervals can be
 * measured on the "wire". Modbus over Serial Line v1.02, 2.5.1.1: frames are separated by at least
 * 3.5 character times (1.75 ms above 19200 baud), and every frame carries a valid CRC (2.5.1.2).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RtuLineTimingTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} baud")
    @ValueSource(ints = {9600, 38400})
    void every_frame_on_the_wire_is_intact_and_separated_by_the_silent_interval_of_the_standard(int baud)
            throws Exception {
        Peers.assumeSocat();
        Files.createDirectories(dir.resolve("m"));
        Files.createDirectories(dir.resolve("s"));
        try (PtyPair master = PtyPair.open(dir.resolve("m")); PtyPair slave = PtyPair.open(dir.resolve("s"));
             SerialLineEmulator line = new SerialLineEmulator(master, slave, baud, 10, true);
             TankFarmRtuSimulator sim = TankFarmRtuSimulator.start(SerialLineOptions.rtu(slave.b().toString(), baud),
                     TankFarmOptions.builder().tanks(2).manualTicks().build())) {
            List<ChannelSpec> channels = new ArrayList<>(ModbusDriverContract.tankChannels(0));
            channels.addAll(ModbusDriverContract.tankChannels(1));
            DeviceSpec spec = new DeviceSpec("farm", "modbus-rtu", Map.of("port", master.a().toString(),
                    "baudRate", baud, "timeoutMs", 1000), channels, "timing");
            Driver driver = new ModbusRtuDriverFactory().create(spec, Clock.systemUTC());
            try {
                for (int cycle = 0; cycle < 3; cycle++) {
                    List<Sample> samples = driver.readAll().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
                    assertThat(samples).allSatisfy(s -> assertThat(s.quality()).as(s.reason()).isEqualTo(Quality.GOOD));
                }
            } finally {
                driver.close();
            }

            List<SerialLineEmulator.Frame> frames = line.frames();
            assertThat(frames).hasSizeGreaterThanOrEqualTo(2 * 3 * 3); // 3 cycles of holding, input, coil, discrete
            double charNanos = line.characterNanos();
            long silence = baud > 19200 ? 1_750_000L : Math.round(3.5 * charNanos);
            for (int i = 0; i < frames.size(); i++) {
                SerialLineEmulator.Frame f = frames.get(i);
                assertThat(f.fromMaster()).as("request and answer alternate").isEqualTo(i % 2 == 0);
                assertThat(Crc16.matches(f.bytes(), f.length())).as("frame " + i + " CRC").isTrue();
                assertThat(f.endNanos() - f.startNanos()).as("a frame takes its wire time")
                        .isGreaterThanOrEqualTo(Math.round((f.length() - 1) * charNanos));
                if (i > 0) {
                    long gap = f.startNanos() - frames.get(i - 1).endNanos();
                    assertThat(gap).as("silence before frame " + i + " (" + (f.fromMaster() ? "request" : "answer")
                            + ")").isGreaterThanOrEqualTo(silence);
                }
            }
        }
    }
}
