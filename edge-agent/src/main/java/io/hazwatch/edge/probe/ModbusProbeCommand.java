package io.hazwatch.edge.probe;

import io.hazwatch.drivers.modbus.SerialSettings;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.edge.probe.ModbusProbeLink.Outcome;
import io.hazwatch.edge.probe.ModbusProbeLink.Table;
import io.hazwatch.edge.probe.RegisterDecoding.Order;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * {@code edge probe modbus}: {@code scan} for unit ids and {@code read} a range decoded every way, on a
 * Modbus TCP host or gateway ({@code --host}) or on a Modbus RTU serial line ({@code --device}).
 */
@Command(name = "modbus", mixinStandardHelpOptions = true,
        description = "Modbus probes on a TCP host or gateway (--host) or an RTU serial line (--device): scan for"
                + " unit ids, read a range decoded every way.",
        subcommands = {ModbusProbeCommand.Scan.class, ModbusProbeCommand.Read.class})
final class ModbusProbeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ProbeCommand.EXIT_USAGE;
    }

    /** Where the requests go: {@code --host} or {@code --device}, exactly one of them. */
    static final class Target {
        @ArgGroup(exclusive = false, multiplicity = "1", heading = "Modbus TCP host or gateway:%n")
        Tcp tcp;

        @ArgGroup(exclusive = false, multiplicity = "1",
                heading = "Modbus RTU serial line (one request at a time on the bus):%n")
        Rtu rtu;

        /** The link to the host or line, not connected yet. */
        ModbusProbeLink open(CommandSpec spec, int timeoutMs) {
            if (tcp != null) {
                return new ModbusProbeClient(tcp.host, tcp.port, timeoutMs);
            }
            SerialSettings line = rtu.settings(spec);
            try {
                return RtuProbeLink.open(line, timeoutMs);
            } catch (DriverConfigException e) {
                // the driver names its properties; say it in the command's options
                throw new ParameterException(spec.commandLine(), e.problems().stream()
                        .map(p -> p.message().replaceFirst("^device 'probe': ", "")
                                .replace("property 'baudRate'", "--baud").replace("property 'timeoutMs'", "--timeout-ms")
                                .replace("property 'port'", "--device"))
                        .reduce((a, b) -> a + "; " + b).orElse(e.getMessage()));
            }
        }

        boolean serial() {
            return rtu != null;
        }

        /** Unit ids that address a device: 0..255 on TCP, 1..247 on a serial line (Serial Line v1.02, 2.2). */
        void checkUnit(CommandSpec spec, String option, int unit) {
            int low = serial() ? 1 : 0;
            int high = serial() ? 247 : 255;
            if (unit < low || unit > high) {
                throw new ParameterException(spec.commandLine(), option + ": unit ids " + (serial()
                        ? "on a serial line are 1..247 (0 is a broadcast nobody answers)" : "are 0..255")
                        + ", got " + unit);
            }
        }
    }

    static final class Tcp {
        @Option(names = "--host", required = true, description = "Device or gateway address.")
        String host;

        @Option(names = "--port", description = "TCP port. Default: 502.")
        int port = 502;
    }

    static final class Rtu {
        @Option(names = "--device", required = true, paramLabel = "PATH",
                description = "Serial port of the RS-485 bus, e.g. /dev/ttyUSB0.")
        String device;

        @Option(names = "--baud", required = true, paramLabel = "B", description = "Baud rate of the bus, e.g. 9600.")
        int baud;

        @Option(names = "--parity", paramLabel = "none|even|odd", description = "Default: none.")
        String parity = "none";

        @Option(names = "--stop-bits", paramLabel = "1|2", description = "Default: 1.")
        int stopBits = 1;

        /** 8 data bits, as RTU requires (Modbus over Serial Line v1.02, 2.5.1). */
        SerialSettings settings(CommandSpec spec) {
            SerialSettings.Parity p = SerialSettings.Parity.fromConfig(parity).orElseThrow(() ->
                    new ParameterException(spec.commandLine(), "--parity must be none, even or odd, got '" + parity
                            + "'"));
            if (stopBits != 1 && stopBits != 2) {
                throw new ParameterException(spec.commandLine(), "--stop-bits must be 1 or 2, got " + stopBits);
            }
            if (baud < 1) {
                throw new ParameterException(spec.commandLine(), "--baud must be positive, got " + baud);
            }
            return new SerialSettings(device, baud, 8, p, stopBits);
        }
    }

    static Table table(CommandSpec spec, String name) {
        for (Table t : Table.values()) {
            if (t.configName.equalsIgnoreCase(name.trim())) {
                return t;
            }
        }
        throw new ParameterException(spec.commandLine(), "unknown --table '" + name
                + "' (holding, input, coil or discrete)");
    }

    /** {@code edge probe modbus scan (--host H [--port P] | --device PATH --baud B) [--units 1-247]}. */
    @Command(name = "scan", mixinStandardHelpOptions = true,
            description = {"Ask each unit id for one register and list the ones that answer.",
                    "A Modbus exception counts as an answer (the unit exists), except 10 and 11, with which a"
                            + " gateway says the unit behind it is silent.",
                    "On a serial line (--device) the units are asked one at a time, each waiting --timeout-ms:"
                            + " a unit that is not there stays silent.",
                    "Note: many plain Modbus TCP devices answer every unit id; the scan matters behind gateways."})
    static final class Scan implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        @Option(names = "--units", defaultValue = "1-247", paramLabel = "LIST",
                description = "Unit ids to try, e.g. 1-247 or 1,2,10-20. Default: ${DEFAULT-VALUE}.")
        String units;

        @Option(names = "--timeout-ms", defaultValue = "300", paramLabel = "MS",
                description = "How long to wait for each unit. Default: ${DEFAULT-VALUE}.")
        int timeoutMs;

        @Option(names = "--table", defaultValue = "holding",
                description = "Table to ask: holding, input, coil, discrete. Default: ${DEFAULT-VALUE}.")
        String table;

        @Option(names = "--address", defaultValue = "0", description = "0-based address to ask for."
                + " Default: ${DEFAULT-VALUE}.")
        int address;

        @Option(names = {"-v", "--verbose"}, description = "Also list the units that do not answer, and why.")
        boolean verbose;

        @Override
        public Integer call() {
            List<Integer> ids;
            try {
                ids = UnitRange.parse(units);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--units: " + e.getMessage());
            }
            if (timeoutMs < 1 || address < 0 || address > 0xFFFF) {
                throw new ParameterException(spec.commandLine(), "--timeout-ms must be >= 1 and --address 0..65535");
            }
            for (int unit : ids) {
                target.checkUnit(spec, "--units", unit);
            }
            Table t = table(spec, table);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<Integer> answering = new ArrayList<>();
            long started = System.nanoTime();
            String where;
            try (ModbusProbeLink link = target.open(spec, timeoutMs)) {
                where = link.describe();
                out.printf("scanning %s, units %s, %s %d, %d ms each%n", where, units, t.configName, address,
                        timeoutMs);
                out.flush();
                for (int unit : ids) {
                    Outcome outcome = link.read(unit, t, address, 1);
                    if (outcome instanceof Outcome.Unreachable unreachable) {
                        err.println(unreachable.message());
                        err.flush();
                        return ProbeCommand.EXIT_NO_ANSWER;
                    }
                    String verdict = verdict(t, address, outcome);
                    boolean answered = verdict.startsWith("answers");
                    if (answered) {
                        answering.add(unit);
                    }
                    if (answered || verbose) {
                        out.printf("unit %3d: %s%n", unit, verdict);
                        out.flush();
                    }
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            if (answering.isEmpty()) {
                out.printf(Locale.ROOT, "no unit answers on %s (tried %d in %.1f s)%n", where, ids.size(), seconds);
                out.flush();
                return ProbeCommand.EXIT_NO_ANSWER;
            }
            out.printf(Locale.ROOT, "%d of %d units answer: %s (%.1f s)%n", answering.size(), ids.size(),
                    String.join(", ", answering.stream().map(String::valueOf).toList()), seconds);
            out.flush();
            return ProbeCommand.EXIT_OK;
        }

        private static String verdict(Table t, int address, Outcome outcome) {
            if (outcome instanceof Outcome.Registers r) {
                int v = r.values()[0];
                return String.format("answers: %s %d = 0x%04X (%d)", t.configName, address, v, v);
            }
            if (outcome instanceof Outcome.Bits b) {
                return "answers: " + t.configName + " " + address + " = " + (b.values()[0] ? 1 : 0);
            }
            if (outcome instanceof Outcome.Exception e) {
                return e.fromGateway() ? "no answer (the gateway says " + e.describe() + ")"
                        : "answers with " + e.describe() + ": the unit exists, try another --address or --table";
            }
            if (outcome instanceof Outcome.Timeout timeout) {
                return "no answer: " + timeout.message();
            }
            return "no answer: " + ((Outcome.Failure) outcome).message();
        }
    }

    /** {@code edge probe modbus read (--host H | --device PATH --baud B) --unit U --address A --count N}. */
    @Command(name = "read", mixinStandardHelpOptions = true,
            description = {"Read a range and show each register, and every value starting at each register, in"
                    + " every type and byte order side by side.",
                    "Orders are named as the driver's 'order:' property: ABCD big-endian, CDAB word-swapped,"
                            + " BADC byte-swapped, DCBA both."})
    static final class Read implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        @Option(names = "--unit", defaultValue = "1", description = "Unit id, 0..255 on TCP, 1..247 on a serial line."
                + " Default: ${DEFAULT-VALUE}.")
        int unit;

        @Option(names = "--table", defaultValue = "holding",
                description = "holding (FC03), input (FC04), coil (FC01), discrete (FC02). Default: ${DEFAULT-VALUE}.")
        String table;

        @Option(names = "--address", required = true, description = "0-based start address (holding 0 is 40001).")
        int address;

        @Option(names = "--count", defaultValue = "10",
                description = "Registers (1..125) or bits (1..2000). Default: ${DEFAULT-VALUE}.")
        int count;

        @Option(names = "--timeout-ms", defaultValue = "1000", paramLabel = "MS",
                description = "Connect and answer timeout. Default: ${DEFAULT-VALUE}.")
        int timeoutMs;

        @Override
        public Integer call() {
            Table t = table(spec, table);
            target.checkUnit(spec, "--unit", unit);
            if (count < 1 || count > t.maxCount()) {
                throw new ParameterException(spec.commandLine(), "--count must be 1.." + t.maxCount() + " for "
                        + t.configName + ", got " + count);
            }
            if (address < 0 || address + count - 1 > 0xFFFF) {
                throw new ParameterException(spec.commandLine(), "--address " + address + " with --count " + count
                        + " runs past 65535");
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Outcome outcome;
            String where;
            try (ModbusProbeLink link = target.open(spec, timeoutMs)) {
                where = link.describe();
                outcome = link.read(unit, t, address, count);
            }
            String what = String.format("%s unit %d, %s %d..%d (FC%02d)", where, unit, t.configName, address,
                    address + count - 1, t.functionCode);
            if (outcome instanceof Outcome.Exception e) {
                err.println(what + ": the device answered " + e.describe());
                err.flush();
                return ProbeCommand.EXIT_NO_ANSWER;
            }
            if (outcome instanceof Outcome.Timeout timeout) {
                err.println(what + ": " + timeout.message());
                err.flush();
                return ProbeCommand.EXIT_NO_ANSWER;
            }
            if (outcome instanceof Outcome.Failure failure) {
                err.println(what + ": " + failure.message());
                err.flush();
                return ProbeCommand.EXIT_NO_ANSWER;
            }
            if (outcome instanceof Outcome.Unreachable unreachable) {
                err.println(what + ": " + unreachable.message());
                err.flush();
                return ProbeCommand.EXIT_NO_ANSWER;
            }
            out.println(what);
            if (outcome instanceof Outcome.Bits bits) {
                printBits(out, t, bits.values());
            } else {
                printRegisters(out, t, ((Outcome.Registers) outcome).values());
            }
            out.flush();
            return ProbeCommand.EXIT_OK;
        }

        private void printBits(PrintWriter out, Table t, boolean[] values) {
            out.println();
            out.println(String.format("%5s  %-5s  %s", "addr", "plc", "value"));
            for (int i = 0; i < values.length; i++) {
                out.printf("%5d  %s  %d%n", address + i, t.plcAddress(address + i), values[i] ? 1 : 0);
            }
        }

        private void printRegisters(PrintWriter out, Table t, int[] r) {
            out.println();
            out.println(String.format("%5s  %-5s  %-6s  %6s  %6s  %-19s  %s", "addr", "plc", "hex", "uint16", "int16",
                    "bits", "ascii"));
            for (int i = 0; i < r.length; i++) {
                out.printf("%5d  %s  0x%04X  %6d  %6d  %s  \"%s\"%n", address + i, t.plcAddress(address + i), r[i],
                        RegisterDecoding.uint16(r[i]), RegisterDecoding.int16(r[i]), RegisterDecoding.bits(r[i]),
                        RegisterDecoding.ascii(r[i]));
            }
            if (r.length >= 2) {
                section(out, "float32", r, 2, at -> o -> RegisterDecoding.format(RegisterDecoding.float32(r, at, o)));
                section(out, "int32", r, 2, at -> o -> Integer.toString(RegisterDecoding.int32(r, at, o)));
                section(out, "uint32", r, 2, at -> o -> Long.toString(RegisterDecoding.uint32(r, at, o)));
            }
            if (r.length >= 4) {
                section(out, "float64", r, 4, at -> o -> RegisterDecoding.format(RegisterDecoding.float64(r, at, o)));
            } else {
                out.println();
                out.println("(read at least 4 registers to see float64 values)");
            }
        }

        /** One table: a row per start register, a column per byte order, each as wide as its widest cell. */
        private void section(PrintWriter out, String type, int[] r, int width,
                             IntFunction<Function<Order, String>> value) {
            List<String[]> rows = new ArrayList<>();
            String[] head = new String[Order.values().length];
            int cell = 0;
            for (Order o : Order.values()) {
                head[o.ordinal()] = type + " " + o.name();
                cell = Math.max(cell, head[o.ordinal()].length());
            }
            for (int at = 0; at + width <= r.length; at++) {
                String[] row = new String[head.length];
                for (Order o : Order.values()) {
                    row[o.ordinal()] = value.apply(at).apply(o);
                    cell = Math.max(cell, row[o.ordinal()].length());
                }
                rows.add(row);
            }
            out.println();
            out.println(line(" addr", head, cell));
            for (int i = 0; i < rows.size(); i++) {
                out.println(line(String.format("%5d", address + i), rows.get(i), cell));
            }
        }

        private static String line(String first, String[] cells, int width) {
            StringBuilder s = new StringBuilder(first).append(' ');
            for (String c : cells) {
                s.append(' ').append(c).append(" ".repeat(width - c.length() + 1));
            }
            return s.toString().stripTrailing();
        }
    }
}
