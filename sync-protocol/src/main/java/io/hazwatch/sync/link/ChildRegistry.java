package io.hazwatch.sync.link;

import java.util.Optional;
import java.util.function.Predicate;

/** Who may connect as a child, and which origins each child may carry (its subtree). */
@FunctionalInterface
public interface ChildRegistry {
    /** The origin filter of a registered child; empty when {@code childId} is not registered. */
    Optional<Predicate<String>> subtreeOf(String childId);
}
