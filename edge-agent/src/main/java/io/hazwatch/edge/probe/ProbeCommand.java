package io.hazwatch.edge.probe;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code edge probe}: look at what a device says before writing its configuration. Read-only: the probes
 * never write to a device (apart from the query {@code serial watch --send} writes when asked).
 *
 * <p>Exit codes: 0 the device answered; 1 it did not (or could not be reached); 2 bad command line.
 * Usage and output: docs/probe.md.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {"Look at what a device says before writing its configuration (read-only).",
                "  probe modbus scan    which unit ids answer on a Modbus TCP gateway or an RTU bus",
                "  probe modbus read    registers decoded in every type and byte order, side by side",
                "  probe serial watch   lines from a serial instrument with timestamps and checksum verdicts",
                "  probe opcua browse   the node tree of an OPC UA server",
                "Exit codes: 0 the device answered, 1 it did not, 2 bad command line."},
        subcommands = {ModbusProbeCommand.class, SerialProbeCommand.class, OpcUaProbeCommand.class})
public final class ProbeCommand implements Callable<Integer> {

    /** The device answered. */
    public static final int EXIT_OK = 0;
    /** The device did not answer or could not be reached. */
    public static final int EXIT_NO_ANSWER = 1;
    /** The command line was refused. */
    public static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_USAGE;
    }
}
