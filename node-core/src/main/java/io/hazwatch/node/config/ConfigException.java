package io.hazwatch.node.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration that was refused. Carries every problem found in one pass, in document order, so an
 * operator fixes the file once; the message is one {@code file:line:col: message} per line. A command
 * line prints {@link #errors()} and exits with {@link #EXIT_CODE}.
 */
public final class ConfigException extends Exception {

    /** Stable error code of a refused configuration, for logs and monitoring. */
    public static final String CODE = "HW-CONFIG";

    /** Process exit code of a command that refused its configuration. */
    public static final int EXIT_CODE = 2;

    private final List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a config exception needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
