package io.hazwatch.sync.ranges;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A set of non-negative longs kept as sorted, disjoint, non-adjacent closed ranges [lo, hi]. This is
 * how a receiver remembers which sequence numbers of one (origin, lane) stream it holds: contiguous
 * sequences collapse into one range, so the set stays tiny however many records went through.
 *
 * <p>Not thread-safe: each set has one writer (the journal's writer thread, or the sender's thread).
 */
public final class RangeSet {
    // flattened pairs lo0, hi0, lo1, hi1, ...
    private long[] r;
    private int n; // number of ranges

    public RangeSet() {
        r = new long[8];
    }

    private RangeSet(long[] flat, int n) {
        this.r = flat;
        this.n = n;
    }

    /** Builds a set from flattened pairs as written by {@link #toFlatArray()}; pairs need not be sorted. */
    public static RangeSet ofFlat(long[] flat) {
        if (flat.length % 2 != 0) {
            throw new IllegalArgumentException("flattened ranges need an even length, got " + flat.length);
        }
        RangeSet s = new RangeSet();
        for (int i = 0; i < flat.length; i += 2) {
            s.add(flat[i], flat[i + 1]);
        }
        return s;
    }

    public static RangeSet of(long lo, long hi) {
        RangeSet s = new RangeSet();
        s.add(lo, hi);
        return s;
    }

    public RangeSet copy() {
        return new RangeSet(Arrays.copyOf(r, Math.max(8, n * 2)), n);
    }

    public boolean isEmpty() {
        return n == 0;
    }

    public int rangeCount() {
        return n;
    }

    public long lo(int i) {
        return r[2 * i];
    }

    public long hi(int i) {
        return r[2 * i + 1];
    }

    /** Number of values held. */
    public long cardinality() {
        long c = 0;
        for (int i = 0; i < n; i++) {
            c += r[2 * i + 1] - r[2 * i] + 1;
        }
        return c;
    }

    /** The largest value held, or -1 when empty. */
    public long max() {
        return n == 0 ? -1 : r[2 * n - 1];
    }

    /** The smallest value held, or -1 when empty. */
    public long min() {
        return n == 0 ? -1 : r[0];
    }

    public boolean contains(long v) {
        int i = indexOfRangeAtOrBefore(v);
        return i >= 0 && v <= r[2 * i + 1];
    }

    /** True when every value of [lo, hi] is held. */
    public boolean containsAll(long lo, long hi) {
        int i = indexOfRangeAtOrBefore(lo);
        return i >= 0 && hi <= r[2 * i + 1];
    }

    public void add(long v) {
        add(v, v);
    }

    /** Adds [lo, hi]; merges with overlapping and adjacent ranges. */
    public void add(long lo, long hi) {
        if (lo < 0 || hi < lo) {
            throw new IllegalArgumentException("bad range [" + lo + ", " + hi + "]");
        }
        // fast path: append at the end (the common case for in-order sequences). Comparisons are written
        // as lo - 1 and lo(i) - 1 (never below -1) rather than hi + 1, which overflows at Long.MAX_VALUE.
        if (n == 0 || lo - 1 > r[2 * n - 1]) {
            ensure(n + 1);
            r[2 * n] = lo;
            r[2 * n + 1] = hi;
            n++;
            return;
        }
        if (lo >= r[2 * n - 2]) { // touches the last range
            r[2 * n - 1] = Math.max(r[2 * n - 1], hi);
            return;
        }
        // general case: find first range whose hi >= lo - 1 and last range whose lo <= hi + 1
        int first = 0;
        while (first < n && r[2 * first + 1] < lo - 1) {
            first++;
        }
        int last = first - 1;
        while (last + 1 < n && r[2 * (last + 1)] - 1 <= hi) {
            last++;
        }
        if (last < first) { // insert a new range at first
            ensure(n + 1);
            System.arraycopy(r, 2 * first, r, 2 * first + 2, 2 * (n - first));
            r[2 * first] = lo;
            r[2 * first + 1] = hi;
            n++;
            return;
        }
        long newLo = Math.min(lo, r[2 * first]);
        long newHi = Math.max(hi, r[2 * last + 1]);
        r[2 * first] = newLo;
        r[2 * first + 1] = newHi;
        int removed = last - first;
        if (removed > 0) {
            System.arraycopy(r, 2 * (last + 1), r, 2 * (first + 1), 2 * (n - last - 1));
            n -= removed;
        }
    }

    public void addAll(RangeSet other) {
        for (int i = 0; i < other.n; i++) {
            add(other.r[2 * i], other.r[2 * i + 1]);
        }
    }

    /** Values in [lo, hi] not held here, as a new set. */
    public RangeSet missingIn(long lo, long hi) {
        RangeSet out = new RangeSet();
        long cur = lo;
        for (int i = 0; i < n && cur <= hi; i++) {
            long a = r[2 * i];
            long b = r[2 * i + 1];
            if (b < cur) {
                continue;
            }
            if (a > hi) {
                break;
            }
            if (a > cur) {
                out.add(cur, a - 1);
            }
            if (b >= hi) { // also keeps b + 1 from overflowing at Long.MAX_VALUE
                return out;
            }
            cur = b + 1;
        }
        if (cur <= hi) {
            out.add(cur, hi);
        }
        return out;
    }

    /** Values in [lo, hi] held here, as a new set. */
    public RangeSet within(long lo, long hi) {
        RangeSet out = new RangeSet();
        for (int i = 0; i < n; i++) {
            long a = Math.max(lo, r[2 * i]);
            long b = Math.min(hi, r[2 * i + 1]);
            if (r[2 * i] > hi) {
                break;
            }
            if (a <= b) {
                out.add(a, b);
            }
        }
        return out;
    }

    public long[] toFlatArray() {
        return Arrays.copyOf(r, 2 * n);
    }

    public List<long[]> ranges() {
        List<long[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new long[] {r[2 * i], r[2 * i + 1]});
        }
        return out;
    }

    private int indexOfRangeAtOrBefore(long v) {
        int lo = 0;
        int hi = n - 1;
        int ans = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (r[2 * mid] <= v) {
                ans = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return ans;
    }

    private void ensure(int ranges) {
        if (2 * ranges > r.length) {
            r = Arrays.copyOf(r, Math.max(2 * ranges, r.length * 2));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RangeSet s && s.n == n
                && Arrays.equals(r, 0, 2 * n, s.r, 0, 2 * n);
    }

    @Override
    public int hashCode() {
        int h = n;
        for (int i = 0; i < 2 * n; i++) {
            h = 31 * h + Long.hashCode(r[i]);
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            long a = r[2 * i];
            long b = r[2 * i + 1];
            sb.append(a == b ? Long.toString(a) : a + ".." + b);
        }
        return sb.append(']').toString();
    }
}
