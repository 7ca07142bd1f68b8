package io.hazwatch.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hazwatch.node.NodeStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one-line status a technician reads: data lost to the quota or found damaged is never silent. */
class StatusLineTest {
    @Test
    void aHealthyJournalSaysNothingOfEvictionOrDamage() {
        String line = NodeCommand.statusLine(new NodeStatus("130102", "county", 1000, 5, 7, 0, 0, 0, null, Map.of()));
        assertThat(line).isEqualTo("130102 county");
    }

    @Test
    void evictedAndDamagedRecordsAreShownWithTheirCounts() {
        String line = NodeCommand.statusLine(new NodeStatus("130102", "county", 1000, 5, 7, 0, 120, 3, null, Map.of()));
        assertThat(line).contains("EVICTED 120 over quota").contains("DAMAGED 3 set aside");
    }
}
