package io.hazwatch.sync.wire;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one direction of one connection remembers between compact batches: the strings (origins,
 * point names) it has defined, the group keys (origin, lane, kind, point) it has numbered, and per
 * key the last sequence, timestamp, value, quality and value type sent, which the next batch's values
 * are coded against. Both ends start empty at every connection and stay in step because TCP delivers
 * the batches in order and both apply the same updates. Single-threaded: the sender's encoder or the
 * receiver's decoder owns it.
 */
public final class StringDictionary {
    /** Bound on strings and on group keys per connection; a peer defining more is refused. */
    public static final int MAX_ENTRIES = 1 << 20;

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> strings = new ArrayList<>();
    private final Map<Key, Integer> keyIds = new HashMap<>();
    private final List<KeyState> keys = new ArrayList<>();

    /** A group key: which stream and point a group of records belongs to. */
    record Key(int origin, int lane, int kind, int point) {
    }

    /** The coding state of one group key, as of the last batch that carried it. */
    static final class KeyState {
        final Key key;
        long lastSeq;
        long seqStep;
        long lastTs;
        long tsStep;
        long lastDoubleBits;
        long lastLong;
        int lastQuality = -1;
        int lastType = -1;

        KeyState(Key key) {
            this.key = key;
        }
    }

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

    int keyIdOf(Key k) {
        Integer id = keyIds.get(k);
        return id == null ? -1 : id;
    }

    int defineKey(Key k) {
        if (keys.size() >= MAX_ENTRIES) {
            throw new IllegalStateException("group key table full (" + MAX_ENTRIES + " entries)");
        }
        int id = keys.size();
        keyIds.put(k, id);
        keys.add(new KeyState(k));
        return id;
    }

    KeyState key(int id) {
        if (id < 0 || id >= keys.size()) {
            throw WireReader.malformed("group key " + id + " not defined on this connection (" + keys.size()
                    + " defined)");
        }
        return keys.get(id);
    }

    int keyCount() {
        return keys.size();
    }

    public int size() {
        return strings.size();
    }
}
