package io.hazwatch.node.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One value of a YAML document with where it was written and its path from the root
 * ({@code devices[0].points[2].alarms}). The {@code as...} methods convert it to a type: when the value
 * does not fit, they record a problem naming the path and what was found, and return empty.
 *
 * <p>Scalars are typed by YAML's own resolution: {@code 502} is an integer, {@code "502"} a string.
 * Integers may be written in decimal, {@code 0x} hex or {@code 0b} binary, with {@code _} separators;
 * a leading zero ({@code 0755}) and sexagesimal ({@code 1:30}) are refused as ambiguous.
 */
public final class YamlNode {
    private static final int MAX_PLAIN_DEPTH = 16;

    private final Node node;
    private final String source;
    private final String path;
    private final ConfigProblems problems;

    YamlNode(Node node, String source, String path, ConfigProblems problems) {
        this.node = node;
        this.source = source;
        this.path = path;
        this.problems = problems;
    }

    public Location location() {
        return locationOf(node.getStartMark(), source);
    }

    /** Path from the document root, e.g. {@code devices[0].name}; empty for the root. */
    public String path() {
        return path;
    }

    public boolean isNull() {
        return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    public boolean isMap() {
        return node instanceof MappingNode;
    }

    public boolean isList() {
        return node instanceof SequenceNode;
    }

    /** Records a problem at this value, prefixed with its path. */
    public void error(String message) {
        problems.add(location(), path.isEmpty() ? message : path + ": " + message);
    }

    ConfigProblems problems() {
        return problems;
    }

    String source() {
        return source;
    }

    Node raw() {
        return node;
    }

    YamlNode child(Node childNode, String childPath) {
        return new YamlNode(childNode, source, childPath, problems);
    }

    public Optional<YamlMap> asMap() {
        if (node instanceof MappingNode) {
            return YamlMap.of(this);
        }
        error("expected a mapping (key: value), got " + describe());
        return Optional.empty();
    }

    /** The items of a sequence; a null value (key written with nothing after it) is an empty list. */
    public Optional<List<YamlNode>> asList() {
        if (node instanceof SequenceNode seq) {
            List<YamlNode> items = new ArrayList<>();
            for (int i = 0; i < seq.getValue().size(); i++) {
                items.add(child(seq.getValue().get(i), path + "[" + i + "]"));
            }
            return Optional.of(List.copyOf(items));
        }
        if (isNull()) {
            return Optional.of(List.of());
        }
        error("expected a list, got " + describe());
        return Optional.empty();
    }

    /** Any non-empty scalar as written (so {@code id: 130102} is the string "130102"). */
    public Optional<String> asString() {
        if (node instanceof ScalarNode s && !isNull()) {
            if (s.getValue().isBlank()) {
                error("must not be empty");
                return Optional.empty();
            }
            return Optional.of(s.getValue());
        }
        error("expected a string, got " + describe());
        return Optional.empty();
    }

    /** An integer in {@code min..max}. */
    public Optional<Long> asLong(long min, long max) {
        if (!(node instanceof ScalarNode s) || !s.getTag().equals(Tag.INT)) {
            error("expected an integer, got " + describe());
            return Optional.empty();
        }
        Optional<BigInteger> parsed = parseInteger(s.getValue());
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        BigInteger v = parsed.get();
        if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
            error("must be in " + min + ".." + max + ", got " + v);
            return Optional.empty();
        }
        return Optional.of(v.longValue());
    }

    /** An integer in {@code min..max}. */
    public Optional<Integer> asInt(int min, int max) {
        return asLong(min, max).map(Long::intValue);
    }

    /** A finite number; integers are accepted. */
    public Optional<Double> asDouble() {
        if (node instanceof ScalarNode s && s.getTag().equals(Tag.INT)) {
            return parseInteger(s.getValue()).map(BigInteger::doubleValue);
        }
        if (node instanceof ScalarNode s && s.getTag().equals(Tag.FLOAT)) {
            try {
                double d = Double.parseDouble(s.getValue().replace("_", ""));
                if (Double.isFinite(d)) {
                    return Optional.of(d);
                }
            } catch (NumberFormatException e) {
                error("not a number I can read: '" + s.getValue() + "' (" + e.getMessage() + ")");
                return Optional.empty();
            }
            error("must be a finite number, got " + s.getValue());
            return Optional.empty();
        }
        error("expected a number, got " + describe());
        return Optional.empty();
    }

    public Optional<Boolean> asBoolean() {
        if (node instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
            String v = s.getValue().toLowerCase(Locale.ROOT);
            return Optional.of(v.equals("true") || v.equals("yes") || v.equals("on") || v.equals("y"));
        }
        error("expected true or false, got " + describe());
        return Optional.empty();
    }

    /**
     * One of a fixed set of words, e.g. {@code county|city|province}; the message on a mismatch lists
     * the words in the map's iteration order.
     */
    public <T> Optional<T> asOneOf(Map<String, T> choices) {
        Optional<String> word = asString();
        if (word.isEmpty()) {
            return Optional.empty();
        }
        T choice = choices.get(word.get());
        if (choice == null) {
            error("must be one of " + String.join(", ", choices.keySet()) + "; got '" + word.get() + "'"
                    + Suggest.closest(word.get(), choices.keySet()).map(c -> " (did you mean '" + c + "'?)")
                    .orElse(""));
            return Optional.empty();
        }
        return Optional.of(choice);
    }

    /** An enum constant spelled in lower case with '-' for '_' ({@code BAD_TIMEOUT} is "bad-timeout"). */
    public <E extends Enum<E>> Optional<E> asEnum(Class<E> type, List<E> allowed) {
        Map<String, E> choices = new LinkedHashMap<>();
        for (E e : allowed) {
            choices.put(spelling(e), e);
        }
        return asOneOf(choices);
    }

    public <E extends Enum<E>> Optional<E> asEnum(Class<E> type) {
        return asEnum(type, List.of(type.getEnumConstants()));
    }

    /** How {@link #asEnum} spells a constant. */
    public static String spelling(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The value as plain Java objects, for properties passed on to a driver: integers become
     * {@link Integer} (or {@link Long} when too large), other numbers {@link Double}, booleans
     * {@link Boolean}, other scalars {@link String}; mappings become ordered unmodifiable maps and
     * sequences unmodifiable lists. A null anywhere inside is a problem.
     */
    public Optional<Object> asPlain() {
        int before = problems.count();
        Object value = plain(this, 0);
        return problems.count() == before ? Optional.of(value) : Optional.empty();
    }

    private static Object plain(YamlNode n, int depth) {
        if (depth > MAX_PLAIN_DEPTH) {
            n.error("nested deeper than " + MAX_PLAIN_DEPTH + " levels");
            return "";
        }
        if (n.node instanceof MappingNode) {
            Optional<YamlMap> map = YamlMap.of(n);
            if (map.isEmpty()) {
                return Map.of();
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, YamlNode> e : map.get().entries()) {
                out.put(e.getKey(), plain(e.getValue(), depth + 1));
            }
            return Collections.unmodifiableMap(out);
        }
        if (n.node instanceof SequenceNode seq) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < seq.getValue().size(); i++) {
                out.add(plain(n.child(seq.getValue().get(i), n.path + "[" + i + "]"), depth + 1));
            }
            return List.copyOf(out);
        }
        ScalarNode s = (ScalarNode) n.node;
        Tag tag = s.getTag();
        if (tag.equals(Tag.NULL)) {
            n.error("has no value");
            return "";
        }
        if (tag.equals(Tag.INT)) {
            Optional<BigInteger> v = n.parseInteger(s.getValue());
            if (v.isEmpty()) {
                return "";
            }
            if (v.get().bitLength() >= 64) {
                n.error("integer " + s.getValue() + " is too large");
                return "";
            }
            return v.get().bitLength() < 32 ? (Object) v.get().intValue() : (Object) v.get().longValue();
        }
        if (tag.equals(Tag.FLOAT)) {
            return n.asDouble().<Object>map(Function.identity()).orElse("");
        }
        if (tag.equals(Tag.BOOL)) {
            return n.asBoolean().<Object>map(Function.identity()).orElse("");
        }
        return s.getValue();
    }

    private Optional<BigInteger> parseInteger(String text) {
        String t = text.replace("_", "");
        boolean negative = t.startsWith("-");
        if (t.startsWith("-") || t.startsWith("+")) {
            t = t.substring(1);
        }
        int radix = 10;
        if (t.contains(":")) {
            error("sexagesimal numbers like '" + text + "' are not supported; quote it if it is a string");
            return Optional.empty();
        }
        if (t.startsWith("0x") || t.startsWith("0X")) {
            radix = 16;
            t = t.substring(2);
        } else if (t.startsWith("0b") || t.startsWith("0B")) {
            radix = 2;
            t = t.substring(2);
        } else if (t.startsWith("0o")) {
            radix = 8;
            t = t.substring(2);
        } else if (t.length() > 1 && t.startsWith("0")) {
            error("'" + text + "' has a leading zero, which YAML reads as octal; write it without"
                    + " the zero, as 0o" + t.substring(1) + ", or quote it if it is a string");
            return Optional.empty();
        }
        try {
            BigInteger v = new BigInteger(t, radix);
            return Optional.of(negative ? v.negate() : v);
        } catch (NumberFormatException e) {
            error("not an integer I can read: '" + text + "'");
            return Optional.empty();
        }
    }

    /** What the value is, for messages: "a list", "the string 'x'", "the number 3", "nothing". */
    public String describe() {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode s = (ScalarNode) node;
        Tag tag = s.getTag();
        if (tag.equals(Tag.NULL)) {
            return "nothing";
        }
        if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
            return "the number " + s.getValue();
        }
        if (tag.equals(Tag.BOOL)) {
            return "the boolean " + s.getValue();
        }
        String v = s.getValue();
        return "the string '" + (v.length() > 40 ? v.substring(0, 40) + "..." : v) + "'";
    }

    static Location locationOf(Mark mark, String source) {
        return new Location(source, mark.getLine() + 1, mark.getColumn() + 1);
    }
}
