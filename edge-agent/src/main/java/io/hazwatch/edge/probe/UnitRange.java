package io.hazwatch.edge.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Parses unit-id lists such as {@code 1-247}, {@code 1,2,10-20}; ids are 0..255. */
final class UnitRange {

    private UnitRange() {
    }

    /**
     * The ids, ascending and without repeats.
     *
     * @throws IllegalArgumentException with a message for people when the text is not a list of ids
     */
    static List<Integer> parse(String text) {
        TreeSet<Integer> ids = new TreeSet<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw new IllegalArgumentException("empty entry in unit list '" + text + "'");
            }
            int dash = p.indexOf('-', 1);
            int from;
            int to;
            try {
                from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
                to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + p + "' is not a unit id or a range like 1-247", e);
            }
            if (from < 0 || to > 255 || from > to) {
                throw new IllegalArgumentException("'" + p + "': unit ids are 0..255, low to high");
            }
            for (int id = from; id <= to; id++) {
                ids.add(id);
            }
        }
        return new ArrayList<>(ids);
    }
}
