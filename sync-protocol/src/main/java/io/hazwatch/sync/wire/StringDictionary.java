package io.hazwatch.sync.wire;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The strings (origins, point names) one direction of one connection has defined so far. A batch
 * defines each string once, the first time it travels on the connection; later batches name it by
 * its number. Both ends start empty at every connection and stay in step because TCP delivers the
 * batches in order. Single-threaded: the sender's encoder or the receiver's decoder owns it.
 */
public final class StringDictionary {
    /** Bound on entries per connection; a peer defining more is refused. */
    public static final int MAX_ENTRIES = 1 << 20;

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> strings = new ArrayList<>();

    /** The id of a defined string, or -1. */
    int idOf(String s) {
        Integer id = ids.get(s);
        return id == null ? -1 : id;
    }

    int define(String s) {
        if (strings.size() >= MAX_ENTRIES) {
            throw new IllegalStateException("string dictionary full (" + MAX_ENTRIES + " entries)");
        }
        int id = strings.size();
        ids.put(s, id);
        strings.add(s);
        return id;
    }

    String get(int id) {
        if (id < 0 || id >= strings.size()) {
            throw WireReader.malformed("string id " + id + " not defined on this connection (" + strings.size()
                    + " defined)");
        }
        return strings.get(id);
    }

    public int size() {
        return strings.size();
    }
}
