package org.agentchannels.core.presence;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The order of the rows of a {@link RemoteSessions} snapshot: newest {@code updatedAt} first, then by session id, a
 * total order since a snapshot has one row per session id.
 * <p>
 * {@link #sort} gives exactly that order, through primitive sorts where it can: sorting ten thousand rows with a
 * comparator dereferences a row and its id's characters in every comparison and took 1.3 to 1.5 ms, most of a
 * derivation; sorting packed {@code long} keys takes a tenth of that. A gateway writes every record of one refresh
 * with the same {@code updated_at}, so ties are common and are broken by a key of the ids' first bytes.
 */
final class NewestFirst {

    static final Comparator<RemoteSession> ORDER = (a, b) -> {
        int byTime = Double.compare(b.updatedAt(), a.updatedAt());
        return byTime != 0 ? byTime : a.sessionId().compareTo(b.sessionId());
    };

    private static final Comparator<RemoteSession> BY_SESSION_ID = (a, b) -> a.sessionId().compareTo(b.sessionId());

    /** Below this many rows a comparator sort is as quick, and no key arrays are made. */
    private static final int PACKED_FROM = 48;

    /** Below this many keys {@link Arrays#sort(long[])} is as quick as radix passes, which clear and sum their counts. */
    private static final int RADIX_FROM = 1_024;

    /** Bits of a key a radix pass sorts by: its counts fit in the first-level cache. */
    private static final int RADIX_BITS = 11;

    /** Bytes of an id in its {@link #idKey}. */
    static final int ID_KEY_BYTES = 6;

    /** How many keys of {@link #ID_KEY_BYTES} bytes ties are sorted by before their ids are compared whole. */
    private static final int ID_KEY_LEVELS = 4;

    /** Bits of a tie's position packed under the 48 bits of its {@link #idKey}. */
    private static final int TIE_POSITION_BITS = 15;

    private NewestFirst() {
    }

    /** Sorts {@code rows[0..n)} in {@link #ORDER}; rows have distinct session ids. */
    static void sort(RemoteSession[] rows, int n) {
        if (n < PACKED_FROM) {
            Arrays.sort(rows, 0, n, ORDER);
            return;
        }
        long[] timeKeys = new long[n];
        long[] idKeys = new long[n];
        long[] nextIdKeys = new long[n];
        for (int i = 0; i < n; i++) {
            timeKeys[i] = timeKey(rows[i].updatedAt());
            idKeys[i] = idKey(rows[i].sessionId());
            nextIdKeys[i] = idKey(rows[i].sessionId(), ID_KEY_BYTES);
        }
        sort(rows, timeKeys, idKeys, nextIdKeys, n);
    }

    /**
     * Sorts {@code rows[0..n)} in {@link #ORDER}, given each row's {@link #timeKey} and the {@link #idKey}s of its id's
     * first and next {@link #ID_KEY_BYTES} bytes (taken where the row was made, while its id was at hand: taking them
     * here, from ten thousand rows scattered in memory, cost a fifth of a derivation); the key arrays are overwritten.
     */
    static void sort(RemoteSession[] rows, long[] timeKeys, long[] idKeys, long[] nextIdKeys, int n) {
        if (n < PACKED_FROM) {
            Arrays.sort(rows, 0, n, ORDER);
            return;
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, timeKeys[i]);
            max = Math.max(max, timeKeys[i]);
        }
        int positionBits = 32 - Integer.numberOfLeadingZeros(n - 1);
        // unexpired records were written within a few minutes, which at epoch seconds spans about 2^30 doubles
        if (Long.compareUnsigned(max - min, 1L << (63 - positionBits)) >= 0) {
            Arrays.sort(rows, 0, n, ORDER);
            return;
        }
        long[] keys = timeKeys;
        for (int i = 0; i < n; i++) {
            keys[i] = (keys[i] - min) << positionBits | i;
        }
        long[][] idKeysByLevel = { idKeys, nextIdKeys };
        if (min != max) { // one refresh writes one time: then the rows stay in their order until sorted by id
            sortKeys(keys, n, 64 - Long.numberOfLeadingZeros((max - min) << positionBits | (n - 1)));
            permute(rows, idKeysByLevel, 0, keys, 0, n, (1L << positionBits) - 1);
        }
        for (int start = 0, end; start < n; start = end) {
            long time = keys[start] >>> positionBits;
            end = start + 1;
            while (end < n && keys[end] >>> positionBits == time) {
                end++;
            }
            if (end - start > 1) {
                sortById(rows, idKeysByLevel, start, end, 0);
            }
        }
    }

    /**
     * Sorts {@code keys[0..n)}, each non-negative and below {@code 2^bits}: by least significant digit first radix
     * passes where there are many (half the time of {@link Arrays#sort(long[])} for ten thousand keys of the 40 bits
     * that a few minutes of times and the positions take), a pass skipped where every key has the same digit.
     */
    static void sortKeys(long[] keys, int n, int bits) {
        if (n < RADIX_FROM) {
            Arrays.sort(keys, 0, n);
            return;
        }
        long[] from = keys;
        long[] to = new long[n];
        int[] starts = new int[1 << RADIX_BITS];
        int digitMask = (1 << RADIX_BITS) - 1;
        for (int shift = 0; shift < bits; shift += RADIX_BITS) {
            Arrays.fill(starts, 0);
            for (int i = 0; i < n; i++) {
                starts[(int) (from[i] >>> shift) & digitMask]++;
            }
            if (starts[(int) (from[0] >>> shift) & digitMask] == n) {
                continue; // one digit for all: already in its order
            }
            int sum = 0;
            for (int d = 0; d < starts.length; d++) {
                int count = starts[d];
                starts[d] = sum;
                sum += count;
            }
            for (int i = 0; i < n; i++) {
                long key = from[i];
                to[starts[(int) (key >>> shift) & digitMask]++] = key;
            }
            long[] sorted = to;
            to = from;
            from = sorted;
        }
        if (from != keys) {
            System.arraycopy(from, 0, keys, 0, n);
        }
    }

    /**
     * Puts {@code rows[start..start+n)}, and the keys of every level from {@code fromLevel} on, in the order of
     * {@code sorted}, whose low bits ({@code position}) are the positions, from {@code start}, they come from.
     */
    private static void permute(RemoteSession[] rows, long[][] idKeysByLevel, int fromLevel, long[] sorted, int start,
            int n, long position) {
        RemoteSession[] unsorted = Arrays.copyOfRange(rows, start, start + n);
        for (int i = 0; i < n; i++) {
            rows[start + i] = unsorted[(int) (sorted[i] & position)];
        }
        for (int level = fromLevel; level < idKeysByLevel.length; level++) {
            long[] levelKeys = idKeysByLevel[level];
            long[] unsortedKeys = Arrays.copyOfRange(levelKeys, start, start + n);
            for (int i = 0; i < n; i++) {
                levelKeys[start + i] = unsortedKeys[(int) (sorted[i] & position)];
            }
        }
    }

    /**
     * Sorts the rows of one {@code updatedAt} by id: by the keys of their ids' first bytes, then the rows of each key
     * shared by many by the key of their ids' next bytes (ids that share a prefix are common: a counter's, a
     * gateway's, an agent's time-ordered ones), and so on, and wholly where few rows or the first
     * {@link #ID_KEY_LEVELS} keys are equal. Rows whose ids' first {@code level} keys are equal come in; the keys of
     * the levels {@code idKeysByLevel} holds are read from it, those of deeper ones from the ids.
     */
    private static void sortById(RemoteSession[] rows, long[][] idKeysByLevel, int start, int end, int level) {
        int n = end - start;
        if (n < PACKED_FROM) {
            insertById(rows, idKeysByLevel, start, end, level);
            return;
        }
        if (n >= 1 << TIE_POSITION_BITS) {
            Arrays.sort(rows, start, end, BY_SESSION_ID);
            return;
        }
        long[] keys = new long[n];
        long[] levelKeys = level < idKeysByLevel.length ? idKeysByLevel[level] : null;
        for (int i = 0; i < n; i++) {
            long key = levelKeys != null ? levelKeys[start + i] : idKey(rows[start + i].sessionId(), level * ID_KEY_BYTES);
            keys[i] = key << TIE_POSITION_BITS | i;
        }
        Arrays.sort(keys);
        permute(rows, idKeysByLevel, level + 1, keys, start, n, (1L << TIE_POSITION_BITS) - 1);
        for (int from = 0, to; from < n; from = to) {
            long prefix = keys[from] >>> TIE_POSITION_BITS;
            to = from + 1;
            while (to < n && keys[to] >>> TIE_POSITION_BITS == prefix) {
                to++;
            }
            if (to - from > 1) {
                if (level + 1 < ID_KEY_LEVELS) {
                    sortById(rows, idKeysByLevel, start + from, start + to, level + 1);
                } else {
                    Arrays.sort(rows, start + from, start + to, BY_SESSION_ID);
                }
            }
        }
    }

    /**
     * Sorts a few rows whose ids' first {@code level} keys are equal by insertion, comparing the keys of the levels
     * {@code idKeysByLevel} holds and the ids only where those are equal: a gateway's refresh writes its handful of
     * records with one time, so a thousand gateways make a thousand such groups, and comparing their ids took a
     * third of a derivation.
     */
    private static void insertById(RemoteSession[] rows, long[][] idKeysByLevel, int start, int end, int level) {
        for (int i = start + 1; i < end; i++) {
            int j = i;
            while (j > start && comparesBelow(rows, idKeysByLevel, level, j, j - 1)) {
                swap(rows, j, j - 1);
                for (int l = level; l < idKeysByLevel.length; l++) {
                    long[] keys = idKeysByLevel[l];
                    long key = keys[j];
                    keys[j] = keys[j - 1];
                    keys[j - 1] = key;
                }
                j--;
            }
        }
    }

    private static boolean comparesBelow(RemoteSession[] rows, long[][] idKeysByLevel, int level, int a, int b) {
        for (int l = level; l < idKeysByLevel.length; l++) {
            long[] keys = idKeysByLevel[l];
            if (keys[a] != keys[b]) {
                return keys[a] < keys[b];
            }
        }
        return rows[a].sessionId().compareTo(rows[b].sessionId()) < 0;
    }

    private static void swap(RemoteSession[] rows, int a, int b) {
        RemoteSession row = rows[a];
        rows[a] = rows[b];
        rows[b] = row;
    }

    /**
     * A key whose signed order is the reverse of {@link Double#compare}'s: {@code -0.0} below {@code 0.0}, NaN above
     * everything, as there.
     */
    static long timeKey(double updatedAt) {
        long bits = Double.doubleToLongBits(updatedAt);
        return ~(bits ^ (bits >> 63 & Long.MAX_VALUE));
    }

    /**
     * The first 6 bytes of {@code id}'s UTF-16 units each written as UTF-8 writes a number below 2^16 (one byte for
     * ASCII, so 6 characters of a hex id), zero-padded, in 48 bits. That writing orders bytes as the numbers it
     * writes and no unit's bytes begin another's, so {@code a.compareTo(b) < 0} implies
     * {@code idKey(a) <= idKey(b)}: ids whose keys differ compare as their keys do, and equal keys are compared whole.
     */
    static long idKey(String id) {
        return idKey(id, 0);
    }

    /**
     * The 6 bytes after the first {@code skipped} of that writing, zero-padded: of two ids whose first {@code skipped}
     * bytes are the same, the one that compares lower has a key no higher.
     */
    static long idKey(String id, int skipped) {
        int end = Math.min(id.length(), skipped + ID_KEY_BYTES);
        long ascii = 0;
        int scanned = 0;
        for (; scanned < end; scanned++) {
            char c = id.charAt(scanned);
            if (c >= 0x80) {
                break;
            }
            if (scanned >= skipped) {
                ascii = ascii << 8 | c;
            }
        }
        if (scanned == end) { // a byte a character, as ids mostly are
            return ascii << 8 * (ID_KEY_BYTES - Math.max(0, end - skipped));
        }
        long key = 0;
        int bytes = 0;
        int at = 0;
        for (int i = 0, n = id.length(); i < n && bytes < ID_KEY_BYTES; i++) {
            char c = id.charAt(i);
            int length = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            for (int b = 0; b < length && bytes < ID_KEY_BYTES; b++, at++) {
                if (at < skipped) {
                    continue;
                }
                int value = length == 1 ? c
                        : b == 0 ? (length == 2 ? 0xC0 | c >> 6 : 0xE0 | c >> 12) : 0x80 | c >> 6 * (length - 1 - b) & 0x3F;
                key = key << 8 | value;
                bytes++;
            }
        }
        return key << 8 * (ID_KEY_BYTES - bytes);
    }
}
