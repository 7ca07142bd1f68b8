package io.hazwatch.drivers.spi;

import java.util.List;
import java.util.stream.Collectors;

/** A device configuration a driver refuses; carries every problem found, not only the first. */
public final class DriverConfigException extends Exception {
    private final List<ConfigProblem> problems;

    public DriverConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
