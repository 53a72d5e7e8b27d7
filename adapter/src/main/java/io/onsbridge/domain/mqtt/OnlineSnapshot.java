package io.onsbridge.domain.mqtt;

import java.util.List;

/**
 * One part of a bridge's snapshot of its connected devices (a snapshot of many devices is written in parts).
 *
 * @param b     the bridge (a random id per start)
 * @param n     the snapshot's number at that bridge
 * @param t     when it was taken
 * @param until when it stops counting unless a newer one came: the bridge promises one before then
 * @param part  this part's index, from 0
 * @param parts how many parts the snapshot has
 * @param d     the devices of this part
 */
record OnlineSnapshot(String b, long n, long t, long until, int part, int parts, List<OnlineDevice> d) {
    OnlineSnapshot {
        d = d == null ? List.of() : List.copyOf(d);
    }
}
