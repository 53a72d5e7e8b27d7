package io.onsbridge.tracecollector;

/**
 * A message id as a map key. RocketMQ's unique ids are 32 hex digits (16 bytes: IPv4 address, pid,
 * class loader, time, counter): two longs hold them in 32 bytes of heap instead of a 72-byte String.
 * Anything else (IPv6 ids, foreign ids) stays a String.
 */
record MessageIdKey(long high, long low) {
    private static final int HEX_DIGITS = 32;
    /** Hex digit values by character, -1 for anything else: Character.digit is too slow for every record. */
    private static final byte[] HEX = new byte[128];

    static {
        java.util.Arrays.fill(HEX, (byte) -1);
        for (int i = 0; i < 16; i++) {
            HEX[Character.forDigit(i, 16)] = (byte) i;
            HEX[Character.toUpperCase(Character.forDigit(i, 16))] = (byte) i;
        }
    }

    static Object of(String msgId) {
        if (msgId.length() != HEX_DIGITS) {
            return msgId;
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < HEX_DIGITS; i++) {
            char c = msgId.charAt(i);
            int digit = c < 128 ? HEX[c] : -1;
            if (digit < 0) {
                return msgId;
            }
            if (i < 16) {
                high = (high << 4) | digit;
            } else {
                low = (low << 4) | digit;
            }
        }
        return new MessageIdKey(high, low);
    }
}
