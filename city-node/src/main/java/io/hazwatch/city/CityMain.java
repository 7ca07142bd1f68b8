package io.hazwatch.city;

import io.hazwatch.node.NodeRuntime;
import io.hazwatch.node.cli.NodeCommand;
import io.hazwatch.node.config.NodeConfig;
import io.hazwatch.node.config.NodeRole;
import java.io.IOException;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * A city node: a custody relay. It accepts its registered children, journals what they send, and
 * forwards it to the first of its parents that answers. All of that is the shared node runtime; what
 * is particular to a city is only its role in the config.
 */
@Command(name = "city", mixinStandardHelpOptions = true,
        description = "Run a city node: accept children, journal, forward to the configured parent.")
public final class CityMain extends NodeCommand {

    @Override
    protected NodeRole role() {
        return NodeRole.CITY;
    }

    @Override
    protected Running start(NodeConfig config) throws IOException {
        NodeRuntime rt = NodeRuntime.start(config, Clock.systemUTC());
        return new Running(rt, rt::status);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CityMain()).execute(args));
    }
}
