package io.hazwatch.edge;

import io.hazwatch.drivers.spi.DriverState;
import io.hazwatch.sync.model.AlarmEvent;
import java.util.List;

/**
 * A snapshot of an edge agent: its devices, the alarms raised now (each as the event that raised it)
 * and how many records it has journaled. Taken at {@code atMillis} on the agent's clock.
 */
public record AgentStatus(String edgeId, long atMillis, boolean running, List<DeviceStatus> devices,
                          List<AlarmEvent> activeAlarms, long recordsAppended, long appendFailures) {
    public AgentStatus {
        devices = List.copyOf(devices);
        activeAlarms = List.copyOf(activeAlarms);
    }

    public long polls() {
        return devices.stream().mapToLong(DeviceStatus::polls).sum();
    }

    public long skippedTicks() {
        return devices.stream().mapToLong(DeviceStatus::skippedTicks).sum();
    }

    public long goodSamples() {
        return devices.stream().mapToLong(DeviceStatus::goodSamples).sum();
    }

    public long badSamples() {
        return devices.stream().mapToLong(DeviceStatus::badSamples).sum();
    }

    /** One line for a console: devices connected, polls, samples, alarms, records. */
    public String summary() {
        long connected = devices.stream().filter(d -> d.state() == DriverState.CONNECTED).count();
        return "edge " + edgeId + (running ? "" : " (stopped)") + ": devices " + connected + "/" + devices.size()
                + " connected, polls " + polls() + " (skipped " + skippedTicks() + "), samples " + goodSamples()
                + " good / " + badSamples() + " bad, alarms active " + activeAlarms.size() + ", records "
                + recordsAppended + (appendFailures > 0 ? " (append failures " + appendFailures + ")" : "");
    }
}
