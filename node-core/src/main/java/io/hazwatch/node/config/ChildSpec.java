package io.hazwatch.node.config;

import java.util.List;
import java.util.Objects;

/**
 * A registered child and the origins it may carry: an origin is in the child's subtree when it starts
 * with one of {@code originPrefixes}. The default prefix is the child's administrative code with
 * trailing "00" pairs removed (city 130100 carries 1301..., county 130102 carries 130102...).
 */
public record ChildSpec(String id, List<String> originPrefixes) {
    public ChildSpec {
        Objects.requireNonNull(id, "id");
        originPrefixes = List.copyOf(originPrefixes);
        if (originPrefixes.isEmpty()) {
            throw new IllegalArgumentException("child " + id + " has no origin prefixes");
        }
    }

    public static ChildSpec withDefaultPrefix(String id) {
        return new ChildSpec(id, List.of(defaultPrefix(id)));
    }

    /** 130000 -> 13, 130100 -> 1301, 130102 -> 130102, 130102-E0042-01 -> 130102-E0042-01. */
    public static String defaultPrefix(String id) {
        if (id.length() == 6 && id.chars().allMatch(Character::isDigit)) {
            String p = id;
            while (p.length() > 2 && p.endsWith("00")) {
                p = p.substring(0, p.length() - 2);
            }
            return p;
        }
        return id;
    }

    public boolean mayCarry(String origin) {
        for (String p : originPrefixes) {
            if (origin.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
