package io.hazwatch.sync.link;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The "chosen points" of a narrow link (docs/sync-protocol.md section 8.3): the points whose raw
 * readings go out right behind the alarms, while every other point is represented by its rollups
 * until the link has room for the raw history.
 *
 * <p>Each pattern is either a point's full name ({@code 130102-E0042-01/tank-farm/tank1.level}) or a
 * glob in which {@code *} stands for any run of characters, {@code /} included, and {@code ?} for
 * exactly one character: {@code *}{@code /gas_*} chooses every point whose last part starts with
 * {@code gas_}. Everything else is literal. Point names come from a bounded set, so the answer for
 * each is computed once and remembered.
 */
public final class PointSelection implements Predicate<String> {
    /** Chooses nothing: a link without chosen points sends every point the same way. */
    public static final PointSelection NONE = new PointSelection(List.of());

    private static final int MAX_PATTERN_CHARS = 512;
    private static final int MAX_REMEMBERED = 1 << 16;

    private final List<String> patterns;
    private final Set<String> exact = new HashSet<>();
    private final Pattern globs;
    private final Map<String, Boolean> answers = new ConcurrentHashMap<>();

    private PointSelection(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        List<String> regexes = new ArrayList<>();
        for (String p : this.patterns) {
            if (p.indexOf('*') < 0 && p.indexOf('?') < 0) {
                exact.add(p);
            } else {
                regexes.add(toRegex(p));
            }
        }
        this.globs = regexes.isEmpty() ? null : Pattern.compile(String.join("|", regexes));
    }

    /**
     * A selection of the given patterns.
     *
     * @throws IllegalArgumentException naming the first pattern that is not valid and why
     */
    public static PointSelection of(List<String> patterns) {
        for (int i = 0; i < patterns.size(); i++) {
            Optional<String> problem = problem(patterns.get(i));
            if (problem.isPresent()) {
                throw new IllegalArgumentException("chosen point " + (i + 1) + " '" + patterns.get(i) + "': "
                        + problem.get());
            }
        }
        return patterns.isEmpty() ? NONE : new PointSelection(patterns);
    }

    /** Why a pattern is not valid, or empty when it is. */
    public static Optional<String> problem(String pattern) {
        if (pattern.isEmpty()) {
            return Optional.of("a chosen point must not be empty");
        }
        if (pattern.length() > MAX_PATTERN_CHARS) {
            return Optional.of("longer than " + MAX_PATTERN_CHARS + " characters");
        }
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                return Optional.of("point names contain no spaces or control characters (at character "
                        + (i + 1) + ")");
            }
        }
        if (pattern.startsWith("/") || pattern.endsWith("/") || pattern.contains("//")) {
            return Optional.of("empty part between '/' (points are named site/device/point)");
        }
        if (pattern.contains("**")) {
            return Optional.of("'**' is not a pattern here; a single '*' already matches across '/'");
        }
        return Optional.empty();
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    public List<String> patterns() {
        return patterns;
    }

    /** Whether a point is chosen. */
    @Override
    public boolean test(String point) {
        if (patterns.isEmpty()) {
            return false;
        }
        if (exact.contains(point)) {
            return true;
        }
        if (globs == null) {
            return false;
        }
        Boolean known = answers.get(point);
        if (known != null) {
            return known;
        }
        boolean m = globs.matcher(point).matches();
        if (answers.size() < MAX_REMEMBERED) {
            answers.put(point, m);
        }
        return m;
    }

    private static String toRegex(String glob) {
        StringBuilder re = new StringBuilder("(?:");
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            re.append(Pattern.quote(literal.toString()));
        }
        return re.append(')').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PointSelection p && p.patterns.equals(patterns);
    }

    @Override
    public int hashCode() {
        return patterns.hashCode();
    }

    @Override
    public String toString() {
        return patterns.toString();
    }
}
