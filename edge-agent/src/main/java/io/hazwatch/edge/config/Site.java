package io.hazwatch.edge.config;

import java.util.Objects;

/**
 * The enterprise site an edge agent watches. {@code code} is the first part of every point id
 * ({@code code/device/point}); {@code enterprise} is the enterprise's code (e.g. its unified social
 * credit code) as the provincial platform knows it.
 */
public record Site(String code, String name, String enterprise, SiteKind kind) {
    public Site {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(enterprise, "enterprise");
        Objects.requireNonNull(kind, "kind");
    }
}
