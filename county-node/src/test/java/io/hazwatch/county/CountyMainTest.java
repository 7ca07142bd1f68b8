package io.hazwatch.county;

import static org.assertj.core.api.Assertions.assertThat;

import io.hazwatch.node.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The county command line in this JVM: a refused configuration exits with 2 and says what is wrong
 * where (ARCHITECTURE.md 3.8, STYLE.md "Errors"), without starting anything.
 */
class CountyMainTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int county(String... args) {
        CommandLine cl = new CommandLine(new CountyMain());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private Path write(String name, String yaml) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void aConfigWithThreeMistakesExitsWithTwoAndListsEachWithFileAndLine() throws IOException {
        Path file = write("county.yaml", """
                id: "130102"
                role: county
                dataDir: data
                colour: red
                listen: {host: 0.0.0.0, port: 70000}
                children: [{id: 130102-E0001-01}]
                """);

        int code = county("--config", file.toString());

        assertThat(code).isEqualTo(ConfigException.EXIT_CODE).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly(
                file + ":1:1: missing required key 'parents': county needs at least one parent to forward to",
                file + ":4:1: unknown key 'colour'; allowed here: id, role, dataDir, listen, http, parents, children, journalQuotaMb",
                file + ":5:31: listen.port: must be in 0..65535, got 70000",
                "3 problems");
        assertThat(out.toString()).isEmpty();
        assertThat(dir.resolve("data")).as("nothing started, no data directory made").doesNotExist();
    }

    @Test
    void aConfigOfAnotherRoleIsRefusedWithTwoNamingBothRoles() throws IOException {
        Path file = write("city.yaml", """
                id: "130100"
                role: city
                dataDir: data
                listen: {host: 127.0.0.1, port: 0}
                parents: [{id: "130000", host: 127.0.0.1, port: 7400}]
                """);

        int code = county("-c", file.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip())
                .isEqualTo(file + ": role is city, but this command runs a county node");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void aConfigFileThatDoesNotExistIsRefusedWithTwoNamingTheFile() {
        Path missing = dir.resolve("nowhere.yaml");

        int code = county("--config", missing.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains(missing.toString());
    }

    @Test
    void helpExitsWithZeroAndDescribesTheConfigOption() {
        int code = county("--help");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("Usage: county", "--config=FILE", "--status-every");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void withoutAConfigTheCommandLineIsRefusedWithTwoAndTheUsage() {
        int code = county();

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--config=FILE'", "Usage: county");
    }
}
