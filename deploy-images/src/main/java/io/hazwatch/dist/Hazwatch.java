package io.hazwatch.dist;

import io.hazwatch.city.CityMain;
import io.hazwatch.county.CountyMain;
import io.hazwatch.edge.EdgeMain;
import io.hazwatch.province.ProvinceMain;
import io.hazwatch.sims.SimulatorCli;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The one command of the distribution: {@code hazwatch <edge|county|city|province|sim|demo> ...}. */
@Command(name = "hazwatch", mixinStandardHelpOptions = true, version = "hazwatch 0.1.0",
        description = "HazWatch: store-and-forward production-safety monitoring, edge to province.",
        subcommands = {DemoCommand.class, BenchCommand.class, LinkBenchCommand.class, RestartBenchCommand.class,
                io.hazwatch.dist.baseline.BaselineCommand.class})
public final class Hazwatch implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a command: demo, edge, county, city, province or sim");
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Hazwatch()).setCaseInsensitiveEnumValuesAllowed(true);
        cl.addSubcommand("edge", EdgeMain.commandLine());
        cl.addSubcommand("county", new CountyMain());
        cl.addSubcommand("city", new CityMain());
        cl.addSubcommand("province", new ProvinceMain());
        cl.addSubcommand("sim", new CommandLine(new SimulatorCli()));
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
