package io.hazwatch.node.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML mapping with string keys, in document order. Duplicate keys and non-string keys are recorded
 * as problems when the map is made (the first occurrence wins). A key written with no value
 * ({@code http:}) counts as absent.
 *
 * <p>The typed getters ({@link #string}, {@link #integer}, ...) return empty both when the key is absent
 * and when its value is wrong (in which case a problem was recorded); the {@code require...} variants
 * also record a problem for an absent key.
 */
public final class YamlMap {
    private record Entry(Location keyLocation, YamlNode value) {
    }

    private final YamlNode self;
    private final Map<String, Entry> entries;

    private YamlMap(YamlNode self, Map<String, Entry> entries) {
        this.self = self;
        this.entries = entries;
    }

    static Optional<YamlMap> of(YamlNode node) {
        MappingNode mapping = (MappingNode) node.raw();
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Location keyLocation = YamlNode.locationOf(tuple.getKeyNode().getStartMark(), node.source());
            if (!(tuple.getKeyNode() instanceof ScalarNode key) || key.getTag().equals(Tag.NULL)) {
                node.problems().add(keyLocation, prefix(node.path()) + "keys must be plain words");
                continue;
            }
            String name = key.getValue();
            Entry first = entries.get(name);
            if (first != null) {
                node.problems().add(keyLocation, prefix(node.path()) + "duplicate key '" + name
                        + "' (first written at line " + first.keyLocation().line() + ")");
                continue;
            }
            String childPath = node.path().isEmpty() ? name : node.path() + "." + name;
            entries.put(name, new Entry(keyLocation, node.child(tuple.getValueNode(), childPath)));
        }
        // a map with a bad key is still returned, so that its other entries are checked too
        return Optional.of(new YamlMap(node, entries));
    }

    private static String prefix(String path) {
        return path.isEmpty() ? "" : path + ": ";
    }

    public Location location() {
        return self.location();
    }

    public String path() {
        return self.path();
    }

    /** The map as a node, e.g. to record a problem about it as a whole. */
    public YamlNode node() {
        return self;
    }

    public Set<String> keys() {
        return entries.keySet();
    }

    public boolean has(String key) {
        return get(key).isPresent();
    }

    /** Entries whose value is not null, in document order. */
    public List<Map.Entry<String, YamlNode>> entries() {
        List<Map.Entry<String, YamlNode>> out = new ArrayList<>();
        entries.forEach((k, e) -> {
            if (!e.value().isNull()) {
                out.add(Map.entry(k, e.value()));
            }
        });
        return List.copyOf(out);
    }

    /** Where a key was written (the key, not its value). */
    public Optional<Location> keyLocation(String key) {
        return Optional.ofNullable(entries.get(key)).map(Entry::keyLocation);
    }

    /** The value of a key; empty when absent or written with no value. */
    public Optional<YamlNode> get(String key) {
        Entry e = entries.get(key);
        return e == null || e.value().isNull() ? Optional.empty() : Optional.of(e.value());
    }

    /** The value of a key; records "missing required key" when absent. */
    public Optional<YamlNode> require(String key) {
        Optional<YamlNode> v = get(key);
        if (v.isEmpty()) {
            Entry e = entries.get(key);
            if (e != null) {
                e.value().error("needs a value");
            } else {
                self.error("missing required key '" + key + "'");
            }
        }
        return v;
    }

    /**
     * Records a problem for every key not in {@code allowed}, suggesting the closest allowed key, so a
     * typo ({@code hostt}) is never silently ignored.
     */
    public void checkKeys(Collection<String> allowed) {
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (!allowed.contains(e.getKey())) {
                String hint = Suggest.closest(e.getKey(), allowed).map(c -> "; did you mean '" + c + "'?")
                        .orElse("; allowed here: " + String.join(", ", allowed));
                self.problems().add(e.getValue().keyLocation(),
                        prefix(path()) + "unknown key '" + e.getKey() + "'" + hint);
            }
        }
    }

    public void checkKeys(String... allowed) {
        checkKeys(List.of(allowed));
    }

    public Optional<String> string(String key) {
        return get(key).flatMap(YamlNode::asString);
    }

    public Optional<String> requireString(String key) {
        return require(key).flatMap(YamlNode::asString);
    }

    public Optional<Integer> integer(String key, int min, int max) {
        return get(key).flatMap(n -> n.asInt(min, max));
    }

    public Optional<Integer> requireInteger(String key, int min, int max) {
        return require(key).flatMap(n -> n.asInt(min, max));
    }

    public Optional<Long> longInteger(String key, long min, long max) {
        return get(key).flatMap(n -> n.asLong(min, max));
    }

    public Optional<Double> number(String key) {
        return get(key).flatMap(YamlNode::asDouble);
    }

    public Optional<Double> requireNumber(String key) {
        return require(key).flatMap(YamlNode::asDouble);
    }

    public Optional<Boolean> bool(String key) {
        return get(key).flatMap(YamlNode::asBoolean);
    }

    public Optional<YamlMap> map(String key) {
        return get(key).flatMap(YamlNode::asMap);
    }

    public Optional<YamlMap> requireMap(String key) {
        return require(key).flatMap(YamlNode::asMap);
    }

    /** A list; absent is empty. */
    public Optional<List<YamlNode>> list(String key) {
        return get(key).map(YamlNode::asList).orElse(Optional.of(List.of()));
    }

    public Optional<List<YamlNode>> requireList(String key) {
        return require(key).flatMap(YamlNode::asList);
    }
}
