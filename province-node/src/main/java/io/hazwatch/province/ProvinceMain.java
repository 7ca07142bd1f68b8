package io.hazwatch.province;

import io.hazwatch.node.cli.NodeCommand;
import io.hazwatch.node.config.NodeConfig;
import io.hazwatch.node.config.NodeRole;
import java.io.IOException;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The province: accepts cities and directly reporting counties, stores everything, serves the API. */
@Command(name = "province", mixinStandardHelpOptions = true,
        description = "Run the province node: merged store, de-duplicated, with a JSON API over HTTP.")
public final class ProvinceMain extends NodeCommand {

    @Override
    protected NodeRole role() {
        return NodeRole.PROVINCE;
    }

    @Override
    protected Running start(NodeConfig config) throws IOException {
        ProvinceNode node = ProvinceNode.start(config, Clock.systemUTC());
        node.runtime().httpPort().ifPresent(p -> {
            spec.commandLine().getOut().println("province status: http://"
                    + config.http().orElseThrow().host() + ":" + p + "/status");
            spec.commandLine().getOut().flush();
        });
        return new Running(node, () -> node.runtime().status());
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ProvinceMain()).execute(args));
    }
}
