package io.onsbridge.brokerplugin;

import java.util.concurrent.CompletableFuture;
import org.apache.rocketmq.common.message.MessageAccessor;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExtBrokerInner;
import org.apache.rocketmq.store.MessageStore;
import org.apache.rocketmq.store.PutMessageResult;
import org.apache.rocketmq.store.QueryMessageResult;
import org.apache.rocketmq.store.plugin.AbstractPluginMessageStore;
import org.apache.rocketmq.store.plugin.MessageStorePluginContext;
import org.apache.rocketmq.store.rocksdb.MessageRocksDBStorage;
import org.apache.rocketmq.store.timer.rocksdb.TimerMessageRocksDBStore;
import org.apache.rocketmq.store.transaction.TransMessageRocksDBStore;

/**
 * ONS's message conventions on an Apache RocketMQ 5 broker, as a message-store plugin: the broker loads it
 * with {@code messageStorePlugIn=io.onsbridge.brokerplugin.OnsMessageStore} and this jar on its classpath
 * (docs/broker-plugin.md). It wraps the broker's store and changes a message on its way in, before the
 * store's own hooks see it:
 * <ul>
 * <li>ONS's timed delivery, user property {@code __STARTDELIVERTIME} (epoch ms, set by ons-client's
 * {@code Message.setStartDeliverTime}, {@code ali-ons}, the MQ HTTP SDKs), becomes RocketMQ 5's own timer
 * property {@code TIMER_DELIVER_MS}, which the broker's timer wheel delivers at that time. An Apache
 * broker ignores {@code __STARTDELIVERTIME}: without the plugin such a message is delivered at once.</li>
 * <li>ONS's first transaction check time, user property {@code CheckImmunityTimeInSeconds} (ons-client's
 * {@code PropertyKeyConst.CheckImmunityTimeInSeconds}, set on a transactional message), becomes RocketMQ's own
 * {@code CHECK_IMMUNITY_TIME_IN_SECONDS} on the half message: the broker then asks the producer about it no
 * earlier than that. An Apache broker ignores ONS's name: its first check comes after its own transaction
 * timeout (6 s by default) instead.</li>
 * <li>The timer's precision ({@code timerPrecisionMs}, which bounds how late a timed message comes) stays the one
 * the store's timer wheel was written with ({@link StoreTimerPrecision}), so that a finer one configured for new
 * stores never loses the timers waiting in an older store.</li>
 * </ul>
 */
public class OnsMessageStore extends AbstractPluginMessageStore {
    public OnsMessageStore(MessageStorePluginContext context, MessageStore next) {
        super(context, next);
        // Built before the broker makes its timer store, which reads the precision once (BrokerController).
        StoreTimerPrecision.keep(context.getMessageStoreConfig());
    }

    @Override
    public PutMessageResult putMessage(MessageExtBrokerInner msg) {
        return next.putMessage(OnsConventions.onTheWayIn(msg, System.currentTimeMillis()));
    }

    @Override
    public CompletableFuture<PutMessageResult> asyncPutMessage(MessageExtBrokerInner msg) {
        return next.asyncPutMessage(OnsConventions.onTheWayIn(msg, System.currentTimeMillis()));
    }

    // RocketMQ 5.5 added these to MessageStore and not to AbstractPluginMessageStore: handed to the store, as the rest.

    @Override
    public QueryMessageResult queryMessage(String topic, String key, int maxNum, long begin, long end, String indexType,
                                           String lastKey) {
        return next.queryMessage(topic, key, maxNum, begin, end, indexType, lastKey);
    }

    @Override
    public CompletableFuture<QueryMessageResult> queryMessageAsync(String topic, String key, int maxNum, long begin, long end,
                                                                   String indexType, String lastKey) {
        return next.queryMessageAsync(topic, key, maxNum, begin, end, indexType, lastKey);
    }

    @Override
    public MessageRocksDBStorage getMessageRocksDBStorage() {
        return next.getMessageRocksDBStorage();
    }

    @Override
    public TimerMessageRocksDBStore getTimerMessageRocksDBStore() {
        return next.getTimerMessageRocksDBStore();
    }

    @Override
    public void setTimerMessageRocksDBStore(TimerMessageRocksDBStore store) {
        next.setTimerMessageRocksDBStore(store);
    }

    @Override
    public TransMessageRocksDBStore getTransMessageRocksDBStore() {
        return next.getTransMessageRocksDBStore();
    }

    @Override
    public void setTransMessageRocksDBStore(TransMessageRocksDBStore store) {
        next.setTransMessageRocksDBStore(store);
    }

    /** What the plugin changes, apart from the store so that it can be tested on its own. */
    static final class OnsConventions {
        /** ONS's property: the time (epoch ms) before which the message is not delivered. */
        static final String START_DELIVER_TIME = "__STARTDELIVERTIME";

        private OnsConventions() {
        }

        /** ONS's property: seconds after the send before the broker first checks a transactional message. */
        static final String CHECK_IMMUNITY_TIME = "CheckImmunityTimeInSeconds";

        /** The message with ONS's properties turned into the broker's own ({@link #timer}, {@link #checkImmunity}). */
        static MessageExtBrokerInner onTheWayIn(MessageExtBrokerInner msg, long now) {
            if (timer(msg, now) | checkImmunity(msg)) {
                msg.setPropertiesString(MessageDecoder.messageProperties2String(msg.getProperties()));
            }
            return msg;
        }

        /**
         * {@code __STARTDELIVERTIME} turned into the broker's timer property when that time is still to come. Left
         * alone: a time already past (also a copy the broker makes later, e.g. a consumer's retry, which keeps its
         * properties), a message that already names its own timer or delay, one that comes out of the timer
         * ({@code TIMER_OUT_MS}), a transactional half message, and system topics.
         */
        private static boolean timer(MessageExtBrokerInner msg, long now) {
            String startDeliverTime = msg.getProperty(START_DELIVER_TIME);
            if (startDeliverTime == null || msg.getTopic() == null || isSystemTopic(msg.getTopic())
                    || msg.getProperty(MessageConst.PROPERTY_TIMER_OUT_MS) != null
                    || msg.getProperty(MessageConst.PROPERTY_TIMER_DELIVER_MS) != null
                    || msg.getProperty(MessageConst.PROPERTY_TIMER_DELAY_SEC) != null
                    || msg.getProperty(MessageConst.PROPERTY_TIMER_DELAY_MS) != null
                    || msg.getDelayTimeLevel() > 0
                    || isHalf(msg)) {
                return false;
            }
            long at;
            try {
                at = Long.parseLong(startDeliverTime.trim());
            } catch (NumberFormatException e) {
                return false; // not a time: ONS's clients never send that; delivered at once, as without the plugin
            }
            if (at <= now) {
                return false;
            }
            MessageAccessor.putProperty(msg, MessageConst.PROPERTY_TIMER_DELIVER_MS, Long.toString(at));
            return true;
        }

        /**
         * A half message's {@code CheckImmunityTimeInSeconds} copied to RocketMQ's {@code CHECK_IMMUNITY_TIME_IN_SECONDS}
         * (the same meaning, in seconds), unless it names its own or the value is not a number of seconds.
         */
        private static boolean checkImmunity(MessageExtBrokerInner msg) {
            String seconds = msg.getProperty(CHECK_IMMUNITY_TIME);
            if (seconds == null || !isHalf(msg) || msg.getProperty(MessageConst.PROPERTY_CHECK_IMMUNITY_TIME_IN_SECONDS) != null) {
                return false;
            }
            try {
                if (Long.parseLong(seconds.trim()) < 0) {
                    return false;
                }
            } catch (NumberFormatException e) {
                return false; // the broker would read it as its default too
            }
            MessageAccessor.putProperty(msg, MessageConst.PROPERTY_CHECK_IMMUNITY_TIME_IN_SECONDS, seconds.trim());
            return true;
        }

        private static boolean isHalf(MessageExtBrokerInner msg) {
            return "true".equals(msg.getProperty(MessageConst.PROPERTY_TRANSACTION_PREPARED));
        }

        private static boolean isSystemTopic(String topic) {
            return topic.startsWith("rmq_sys_") || topic.startsWith("RMQ_SYS_") || topic.startsWith("%RETRY%")
                    || topic.startsWith("%DLQ%") || topic.equals("SCHEDULE_TOPIC_XXXX");
        }
    }
}
