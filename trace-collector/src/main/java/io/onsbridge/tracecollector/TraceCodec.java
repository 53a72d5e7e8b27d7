package io.onsbridge.tracecollector;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The compact form of a message's trace records: one byte array per message, records appended as
 * they arrive. A naive map of decoded records costs ~1,700 B per message (runtime notes §6); this one
 * ~50 B of data, because names become {@link StringTable} numbers, times become deltas and numbers
 * become varints.
 *
 * <p>Record layout: a head byte (kind in bits 0-2, success in bit 3), the time (the first record's
 * absolute, later ones as a zigzag delta to it), group and host, then per kind: PUB topic, tags, keys,
 * cost, message type; SUB_BEFORE retry times, request hash; SUB_AFTER cost, request hash, context
 * code; END_TRANSACTION state. A string is 0 (null), 1 + length + UTF-8 (inline), or 2 + its number.
 */
final class TraceCodec {
    private static final int SUCCESS = 1 << 3;
    private static final TraceEvent.Kind[] KINDS = TraceEvent.Kind.values();

    private final StringTable strings;
    private byte[] scratch = new byte[256];
    private final int[] firstTime = new int[1];
    private int length;

    TraceCodec(StringTable strings) {
        this.strings = strings;
    }

    /** The record appended to what a message already has ({@code existing} may be null). */
    byte[] append(byte[] existing, TraceEvent e) {
        length = 0;
        writeByte(e.kind().ordinal() | (e.success() ? SUCCESS : 0));
        if (existing == null) {
            writeVarLong(e.timestamp());
        } else {
            firstTime[0] = 1; // the first record's time follows its head byte
            long first = readVarLong(existing, firstTime);
            long delta = e.timestamp() - first;
            writeVarLong((delta << 1) ^ (delta >> 63));
        }
        writeString(e.group(), 0);
        writeString(e.host(), 1);
        switch (e.kind()) {
            case PUB -> {
                writeString(e.topic(), 2);
                writeString(e.tags(), 3);
                writeInline(e.keys());
                writeVarLong(e.costTime());
                writeVarLong(e.code());
            }
            case SUB_BEFORE -> {
                writeVarLong(e.retryTimes());
                writeInt(e.requestHash());
            }
            case SUB_AFTER -> {
                writeVarLong(e.costTime());
                writeInt(e.requestHash());
                writeVarLong(e.code());
            }
            case END_TRANSACTION -> writeVarLong(e.code());
        }
        int offset = existing == null ? 0 : existing.length;
        byte[] result = existing == null ? new byte[length] : Arrays.copyOf(existing, offset + length);
        System.arraycopy(scratch, 0, result, offset, length);
        return result;
    }

    List<TraceEvent> decode(String msgId, byte[] data) {
        List<TraceEvent> events = new ArrayList<>(4);
        int[] at = {0};
        long first = 0;
        while (at[0] < data.length) {
            int head = data[at[0]++];
            TraceEvent.Kind kind = KINDS[head & 7];
            boolean success = (head & SUCCESS) != 0;
            long time;
            if (events.isEmpty()) {
                first = readVarLong(data, at);
                time = first;
            } else {
                long zigzag = readVarLong(data, at);
                time = first + ((zigzag >>> 1) ^ -(zigzag & 1));
            }
            String group = readString(data, at);
            String host = readString(data, at);
            events.add(switch (kind) {
                case PUB -> TraceEvent.pub(msgId, time, group, readString(data, at), readString(data, at), readString(data, at), host,
                        (int) readVarLong(data, at), success, (int) readVarLong(data, at));
                case SUB_BEFORE -> TraceEvent.subBefore(msgId, time, group, host, (int) readVarLong(data, at), readInt(data, at));
                case SUB_AFTER -> {
                    int cost = (int) readVarLong(data, at);
                    yield TraceEvent.subAfter(msgId, time, group, host, cost, success, readInt(data, at), (int) readVarLong(data, at));
                }
                case END_TRANSACTION -> TraceEvent.endTransaction(msgId, time, group, host,
                        TraceEvent.TxState.values()[(int) readVarLong(data, at)]);
            });
        }
        return events;
    }

    // --- writing --------------------------------------------------------------------------------------

    private void writeString(String s, int slot) {
        if (s == null) {
            writeVarLong(0);
            return;
        }
        int id = strings.idOf(s, slot);
        if (id == StringTable.NONE) {
            writeInline(s);
        } else {
            writeVarLong(id + 2L);
        }
    }

    private void writeInline(String s) {
        if (s == null) {
            writeVarLong(0);
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        writeVarLong(1);
        writeVarLong(utf8.length);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, scratch, length, utf8.length);
        length += utf8.length;
    }

    private void writeVarLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            scratch[length++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        scratch[length++] = (byte) v;
    }

    private void writeInt(int v) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            scratch[length++] = (byte) (v >>> shift);
        }
    }

    private void writeByte(int b) {
        ensure(1);
        scratch[length++] = (byte) b;
    }

    private void ensure(int more) {
        if (length + more > scratch.length) {
            scratch = Arrays.copyOf(scratch, Math.max(scratch.length * 2, length + more));
        }
    }

    // --- reading --------------------------------------------------------------------------------------

    private String readString(byte[] data, int[] at) {
        long tag = readVarLong(data, at);
        if (tag == 0) {
            return null;
        }
        if (tag == 1) {
            int n = (int) readVarLong(data, at);
            String s = new String(data, at[0], n, StandardCharsets.UTF_8);
            at[0] += n;
            return s;
        }
        return strings.get((int) (tag - 2));
    }

    private static long readVarLong(byte[] data, int[] at) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = data[at[0]++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
    }

    private static int readInt(byte[] data, int[] at) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (data[at[0]++] & 0xFF);
        }
        return v;
    }
}
