package org.agentchannels.core.presence;

/**
 * One string object for equal short values met recently, such as the endpoint every record of a gateway names.
 * Records parsed one by one each bring their own copy; deriving sessions compares a record's endpoint with the last
 * one and looks it up, and equal copies made that a comparison of characters per record, a quarter of a derivation;
 * a poll that reads records again compares each with its equal copy of the poll before, field by field. With one
 * object those are reference comparisons, and ten thousand records hold one copy of a value per gateway.
 * <p>
 * A direct-mapped table: bounded in entries and, since only values up to {@link #MAX_LENGTH} characters are kept,
 * in memory, whatever a hostile writer sends; a value another one displaced is simply kept again. Lock-free: threads
 * may race on a slot, and the one that loses only loses the sharing, since a string is safely published by its final
 * fields.
 */
final class SharedStrings {

    /**
     * Room for the endpoint, host, instance and fingerprint of a thousand gateways and the words they share, with few
     * of them in the same slot (at 8,192 slots four in ten of those values displaced another and were not shared).
     */
    private static final int SLOTS = 16_384;

    /** Longer values are returned as they are: endpoints, host names and models are shorter; 4 MiB at the most. */
    static final int MAX_LENGTH = 128;

    private static final String[] TABLE = new String[SLOTS];

    private SharedStrings() {
    }

    /** @return a string equal to {@code value}: the one met before, if it is still in the table, else {@code value} */
    static String of(String value) {
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            return value;
        }
        int hash = value.hashCode();
        int slot = (hash ^ hash >>> 16) & (SLOTS - 1);
        String known = TABLE[slot];
        if (known == value || known != null && known.hashCode() == hash && known.equals(value)) {
            return known;
        }
        TABLE[slot] = value;
        return value;
    }
}
