package io.onsbridge.domain.device;

import io.onsbridge.domain.mqtt.DeviceEvents;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PLACEHOLDER until the cluster-kept {@link DeviceEvents} of {@code domain.mqtt} is wired: logs every
 * connection event and keeps the last {@value #KEPT} of them in this bridge's memory (lost at a restart,
 * seen by this bridge only), so that the gateway's tests can see what it reported. Counts and touches are
 * dropped.
 */
public final class PlaceholderDeviceEvents implements DeviceEvents {
    private static final Logger log = LoggerFactory.getLogger(PlaceholderDeviceEvents.class);
    private static final int KEPT = 10_000;

    /** One connection event: {@code connect}, {@code disconnect} or {@code close}, with its ActionInfo. */
    public record Event(String action, Connection connection, String actionInfo, long atMillis) {
    }

    private final Deque<Event> events = new ArrayDeque<>();

    @Override
    public void connected(Connection connection, String actionInfo) {
        keep(new Event("connect", connection, actionInfo, System.currentTimeMillis()));
    }

    @Override
    public void disconnected(Connection connection) {
        keep(new Event("disconnect", connection, ActionInfo.DISCONNECTED_BY_CLIENT, System.currentTimeMillis()));
    }

    @Override
    public void closed(Connection connection, String actionInfo) {
        keep(new Event("close", connection, actionInfo, System.currentTimeMillis()));
    }

    @Override
    public void subscriptionsChanged(Connection connection, List<Subscription> subscriptions) {
        log.debug("MQTT {} subscribes to {}", connection.clientId(), subscriptions);
    }

    @Override
    public void touched(Connection connection, long atMillis) {
        // placeholder: last activity is what the real implementation keeps
    }

    @Override
    public void published(String instanceId, String parentTopic, String subTopic, int qos, boolean p2p) {
        // placeholder: the message counts are the real implementation's
    }

    @Override
    public void delivered(String instanceId, String parentTopic, String subTopic, int qos, boolean p2p) {
        // placeholder: the message counts are the real implementation's
    }

    /** The events of one client id, oldest first. */
    public synchronized List<Event> of(String clientId) {
        return events.stream().filter(e -> e.connection().clientId().equals(clientId)).toList();
    }

    private synchronized void keep(Event event) {
        log.info("MQTT {} {} channel {} from {}: {}", event.action(), event.connection().clientId(), event.connection().channelId(),
                event.connection().remoteAddress(), event.actionInfo());
        if (events.size() == KEPT) {
            events.removeFirst();
        }
        events.addLast(event);
    }
}
