package io.hazwatch.edge.probe;

import io.hazwatch.drivers.serial.Checksum;
import io.hazwatch.drivers.serial.ChecksumVerdict;
import io.hazwatch.drivers.serial.Framing;
import io.hazwatch.drivers.serial.SerialLineReader;
import io.hazwatch.drivers.serial.SerialPortSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/** {@code edge probe serial}: {@code watch} a serial instrument's lines. */
@Command(name = "serial", mixinStandardHelpOptions = true,
        description = "Serial-line probes: watch what an ASCII instrument prints.",
        subcommands = SerialProbeCommand.Watch.class)
final class SerialProbeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ProbeCommand.EXIT_USAGE;
    }

    /** {@code edge probe serial watch --device PATH --baud B [--lines N]}. */
    @Command(name = "watch", mixinStandardHelpOptions = true,
            description = {"Print each line a serial instrument sends, with the time it arrived and a checksum"
                    + " verdict, e.g.",
                    "  2026-05-04T08:00:01.250Z  nmea ok *3D        $PHZDSP,GN01,3.1,-0.4,-2.2,4*3D",
                    "--checksum auto recognises NMEA (*hh: XOR) and CRC-16/MODBUS (*hhhh); name one to check only it.",
                    "Exit codes: 0 lines arrived, 1 the port cannot be opened or nothing arrived, 2 bad command line."})
    static final class Watch implements Callable<Integer> {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'",
                Locale.ROOT).withZone(ZoneOffset.UTC);
        private static final Pattern TWO_HEX = Pattern.compile(".*\\*[0-9A-Fa-f]{2}");
        private static final Pattern FOUR_HEX = Pattern.compile(".*\\*[0-9A-Fa-f]{4}");

        @Spec
        CommandSpec spec;

        /** Stamps the lines; tests replace it. */
        Clock clock = Clock.systemUTC();

        @Option(names = "--device", required = true, paramLabel = "PATH", description = "Serial port, e.g. /dev/ttyUSB0.")
        String device;

        @Option(names = "--baud", defaultValue = "9600", description = "Default: ${DEFAULT-VALUE}.")
        int baud;

        @Option(names = "--data-bits", defaultValue = "8", description = "5..8. Default: ${DEFAULT-VALUE}.")
        int dataBits;

        @Option(names = "--parity", defaultValue = "none", description = "none, even, odd, mark, space."
                + " Default: ${DEFAULT-VALUE}.")
        String parity;

        @Option(names = "--stop-bits", defaultValue = "1", description = "1, 1.5, 2. Default: ${DEFAULT-VALUE}.")
        String stopBits;

        @Option(names = "--lines", defaultValue = "0", paramLabel = "N",
                description = "Stop after N lines; 0 = until interrupted or --duration. Default: ${DEFAULT-VALUE}.")
        int lines;

        @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this long.")
        Long durationSeconds;

        @Option(names = "--checksum", defaultValue = "auto",
                description = "auto, none, nmea, crc16-modbus, sum8. Default: ${DEFAULT-VALUE}.")
        String checksum;

        @Option(names = "--separator", defaultValue = "*", description = "Text before the checksum digits."
                + " Default: ${DEFAULT-VALUE}.")
        String separator;

        @Option(names = "--end", defaultValue = "\\n", description = "End delimiter, with escapes \\r \\n \\xHH."
                + " Default: LF (a CR before it is dropped).")
        String end;

        @Option(names = "--start", defaultValue = "", description = "Start delimiter, e.g. \\x02; none by default.")
        String start;

        @Option(names = "--max-length", defaultValue = "256", description = "Longest line kept."
                + " Default: ${DEFAULT-VALUE}.")
        int maxLength;

        @Option(names = "--send", paramLabel = "TEXT",
                description = "Write this first (with escapes), for instruments that answer a query, e.g. 'R?\\r\\n'.")
        String send;

        @Option(names = "--every-ms", defaultValue = "0", paramLabel = "MS",
                description = "With --send: write it again this often; 0 = once. Default: ${DEFAULT-VALUE}.")
        long everyMs;

        @Override
        public Integer call() {
            SerialPortSettings settings = settings();
            Framing framing = framing();
            Optional<Checksum> fixed = checksum.equalsIgnoreCase("auto") ? Optional.empty()
                    : Optional.of(Checksum.fromConfig(checksum).orElseThrow(() -> new ParameterException(
                    spec.commandLine(), "unknown --checksum '" + checksum + "' (auto, none, nmea, crc16-modbus, sum8)")));
            String query = send == null ? null : unescape("--send", send);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            long received = 0;
            long bad = 0;
            try (SerialLineReader reader = SerialLineReader.open(settings, framing)) {
                out.println("watching " + reader.describe() + (query == null ? "" : ", sending '" + send + "'")
                        + "; Ctrl-C to stop");
                out.flush();
                long deadline = durationSeconds == null ? Long.MAX_VALUE
                        : System.nanoTime() + Duration.ofSeconds(durationSeconds).toNanos();
                long nextSend = System.nanoTime();
                while (lines == 0 || received < lines) {
                    long now = System.nanoTime();
                    if (now - deadline >= 0) {
                        break;
                    }
                    if (query != null && now - nextSend >= 0) {
                        reader.write(query);
                        nextSend = everyMs > 0 ? now + Duration.ofMillis(everyMs).toNanos() : Long.MAX_VALUE;
                    }
                    Optional<String> line = reader.next(Duration.ofMillis(200));
                    if (line.isEmpty()) {
                        continue;
                    }
                    received++;
                    String verdict = verdict(line.get(), fixed);
                    if (verdict.contains("BAD")) {
                        bad++;
                    }
                    out.printf("%s  %-18s  %s%n", TIME.format(clock.instant()), verdict, visible(line.get()));
                    out.flush();
                }
                out.printf("%d lines, %d checksum failures, %d too long (over %d bytes)%n", received, bad,
                        reader.overlongFrames(), maxLength);
                out.flush();
            } catch (IOException e) {
                err.println(settings.describe() + ": " + e.getMessage());
                err.flush();
                return ProbeCommand.EXIT_NO_ANSWER;
            }
            return received > 0 ? ProbeCommand.EXIT_OK : ProbeCommand.EXIT_NO_ANSWER;
        }

        /** "nmea ok *3D", "crc16-modbus BAD: line says ...", "no checksum". */
        private String verdict(String line, Optional<Checksum> fixed) {
            Checksum c;
            if (fixed.isPresent()) {
                c = fixed.get();
            } else if (separator.equals("*") && FOUR_HEX.matcher(line).matches()) {
                c = Checksum.CRC16_MODBUS;
            } else if (separator.equals("*") && TWO_HEX.matcher(line).matches()) {
                c = Checksum.NMEA;
            } else {
                return "no checksum";
            }
            if (c == Checksum.NONE) {
                return "unchecked";
            }
            ChecksumVerdict v = c.check(line, separator);
            return c.configName() + " " + v.describe();
        }

        private SerialPortSettings settings() {
            SerialPortSettings.Parity p = SerialPortSettings.Parity.fromConfig(parity).orElseThrow(() ->
                    new ParameterException(spec.commandLine(), "unknown --parity '" + parity + "'"));
            SerialPortSettings.StopBits s = SerialPortSettings.StopBits.fromConfig(stopBits).orElseThrow(() ->
                    new ParameterException(spec.commandLine(), "unknown --stop-bits '" + stopBits + "'"));
            try {
                return new SerialPortSettings(device, baud, dataBits, p, s);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }

        private Framing framing() {
            try {
                return new Framing(unescape("--start", start), unescape("--end", end), maxLength);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }

        private String unescape(String option, String text) {
            return io.hazwatch.drivers.serial.Escapes.unescape(text).orElseThrow(() ->
                    new ParameterException(spec.commandLine(), option + ": malformed escape in '" + text + "'"));
        }

        /** Control characters as escapes, so a stray CR or STX shows. */
        private static String visible(String line) {
            StringBuilder s = new StringBuilder(line.length());
            for (char c : line.toCharArray()) {
                if (c < 0x20 || c == 0x7F || c > 0xFF) {
                    s.append(String.format("\\x%02X", (int) c));
                } else {
                    s.append(c);
                }
            }
            return s.toString();
        }
    }
}
