package io.onsbridge.tracecollector;

/**
 * A message id as a map key. RocketMQ's unique ids are 32 hex digits (16 bytes: IPv4 address, pid,
 * class loader, time, counter): two longs hold them in 32 bytes of heap instead of a 72-byte String.
 * Anything else (IPv6 ids, foreign ids) stays a String.
 */
record MessageIdKey(long high, long low) {
    private static final int HEX_DIGITS = 32;

    static Object of(String msgId) {
        if (msgId.length() != HEX_DIGITS) {
            return msgId;
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < HEX_DIGITS; i++) {
            int digit = Character.digit(msgId.charAt(i), 16);
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
