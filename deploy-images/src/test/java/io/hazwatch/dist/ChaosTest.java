package io.hazwatch.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Guarantees 1 and 2 of ARCHITECTURE.md section 3 under repeated power cuts of any node: the demo
 * hierarchy (18 processes: province, cities, counties, edge agents, simulators) runs while a randomly
 * chosen node process, the province and the edge agents included, is killed with SIGKILL every few
 * seconds and restarted. The reconciliation, counted from the edges' journals against the province's
 * store, must find nothing missing and nothing duplicated.
 */
class ChaosTest {
    @TempDir
    Path dir;

    @Test
    void anyNodeKilledHardManyTimesOverLosesNothingAndDuplicatesNothingAtTheProvince() {
        DemoCommand demo = new DemoCommand();
        int exit = new CommandLine(demo).setCaseInsensitiveEnumValuesAllowed(true).execute(
                "--duration", "45s", "--chaos", "--chaos-targets", "all", "--chaos-every", "4s", "--seed", "7",
                "--tanks", "2", "--poll-ms", "500", "--status-every", "15s", "--data-dir", dir.toString());

        Reconciliation rec = demo.lastReconciliation;
        assertThat(rec).as("a reconciliation was made").isNotNull();
        assertThat(demo.kills()).as("processes killed").isGreaterThanOrEqualTo(8);
        assertThat(rec.rows()).as("every edge reported").hasSize(6);
        assertThat(rec.generated()).isPositive();
        assertThat(rec.missing()).as("missing at the province").isZero();
        assertThat(rec.duplicates()).as("duplicated at the province").isZero();
        assertThat(rec.held()).isEqualTo(rec.generated());
        assertThat(exit).isZero();
    }
}
