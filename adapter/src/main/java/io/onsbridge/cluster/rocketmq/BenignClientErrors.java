package io.onsbridge.cluster.rocketmq;

import org.apache.rocketmq.client.impl.MQClientAPIImpl;
import org.apache.rocketmq.logging.ch.qos.logback.classic.Level;
import org.apache.rocketmq.logging.ch.qos.logback.classic.Logger;
import org.apache.rocketmq.logging.ch.qos.logback.classic.turbo.TurboFilter;
import org.apache.rocketmq.logging.ch.qos.logback.core.spi.FilterReply;
import org.apache.rocketmq.logging.org.slf4j.Marker;

/**
 * Drops the ERROR lines RocketMQ's client writes for what it recovers from by itself, so that an ERROR in
 * the bridge's log means something is wrong: "dataVersion changed", written when a broker's topic or
 * group table changes while the client reads it page by page (any write during a list), after which the
 * client starts the read again and answers correctly. Installed by rmq.logback.xml.
 */
public final class BenignClientErrors extends TurboFilter {
    private static final String CLIENT_API = MQClientAPIImpl.class.getName();

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level == Level.ERROR && format != null && format.startsWith("dataVersion changed") && CLIENT_API.equals(logger.getName())) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
