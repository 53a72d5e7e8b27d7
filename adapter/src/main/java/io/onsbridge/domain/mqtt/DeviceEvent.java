package io.onsbridge.domain.mqtt;

import java.util.Comparator;

/**
 * One entry of a device's connection history, as stored on the MQTT topic (short names: there are many).
 *
 * @param t     when it happened, epoch ms (the bridge's clock)
 * @param i     the ONS instance ID
 * @param c     the MQTT client ID
 * @param ch    the connection's channel id
 * @param a     {@code connect}, {@code disconnect} or {@code close}
 * @param info  ActionInfo: {@code accepted} or the reason (docs/mqtt-api.md)
 * @param r     the device's address
 * @param b     the bridge that saw it
 * @param s     that bridge's sequence number: orders two events of one millisecond
 */
record DeviceEvent(long t, String i, String c, String ch, String a, String info, String r, String b, long s) {
    static final String CONNECT = "connect";
    static final String DISCONNECT = "disconnect";
    static final String CLOSE = "close";
    static final Comparator<DeviceEvent> IN_TIME_ORDER = Comparator.comparingLong(DeviceEvent::t)
            .thenComparing(DeviceEvent::b, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingLong(DeviceEvent::s);

    /** {@code mqtt.trace.action.connect} and its kin. */
    String actionCode() {
        return "mqtt.trace.action." + a;
    }
}
