package io.onsbridge.cluster.rocketmq;

import java.util.List;
import java.util.UUID;
import org.apache.rocketmq.client.AccessChannel;
import org.apache.rocketmq.client.ClientConfig;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.impl.MQClientManager;
import org.apache.rocketmq.client.impl.factory.MQClientInstance;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.trace.AsyncTraceDispatcher;
import org.apache.rocketmq.client.trace.TraceDispatcher;
import org.apache.rocketmq.remoting.RPCHook;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * Where every RocketMQ client of the bridge is made: each gets the cluster's name servers, the cluster
 * credentials' signing hook (so that an ACL-enabled cluster accepts every one of them) and the bridge's one
 * client instance. RocketMQ runs a dozen threads and a connection per broker for each client instance, and
 * shuts a shared one down only when its last client stops; bridges sharing a JVM (as in tests) each have
 * their own factory, hence their own instance.
 */
final class ClientFactory {
    private final String namesrvAddr;
    private final ClusterCredentials credentials;
    private final long adminTimeoutMillis;
    private final String instanceName = "ons-bridge-" + UUID.randomUUID();

    ClientFactory(String namesrvAddr, ClusterCredentials credentials, long adminTimeoutMillis) {
        this.namesrvAddr = namesrvAddr;
        this.credentials = credentials;
        this.adminTimeoutMillis = adminTimeoutMillis;
    }

    String namesrvAddr() {
        return namesrvAddr;
    }

    /** A new hook per client: RocketMQ's clients keep their own. Null (unsigned) without credentials. */
    RPCHook rpcHook() {
        return credentials.rpcHook();
    }

    DefaultMQAdminExt admin(String adminGroup) {
        DefaultMQAdminExt admin = new DefaultMQAdminExt(rpcHook(), adminTimeoutMillis);
        admin.setNamesrvAddr(namesrvAddr);
        admin.setInstanceName(instanceName);
        admin.setAdminExtGroup(adminGroup);
        return admin;
    }

    /** A pull consumer that reads queues from given offsets and never commits any. */
    DefaultMQPullConsumer reader(String group) {
        DefaultMQPullConsumer reader = new DefaultMQPullConsumer(group, rpcHook());
        reader.setNamesrvAddr(namesrvAddr);
        reader.setInstanceName(instanceName);
        return reader;
    }

    /**
     * How long RocketMQ's produce accumulator may hold a batch, and so (half of it) how often its two guard threads
     * wake. They wake whether or not anything is batched, and nothing is: the bridge sends without {@code autoBatch}
     * and makes its own batches ({@link SendBatches}). At the default 10 ms they woke 200 times a second each, per
     * client instance (the bridge's and each trace producer's): 3 to 4% of the bridge's CPU, busy or idle (sessions 21
     * and 23); now 20 times. Not longer, because a stop waits for each guard's sleep to end.
     */
    static final int QUIET_ACCUMULATOR_MS = 100;

    /** @param traced whether its sends are traced like any application's (RocketMQ's message trace) */
    DefaultMQProducer producer(String group, boolean traced) {
        DefaultMQProducer producer = new DefaultMQProducer(null, group, rpcHook(), traced, null) {
            @Override
            public void start() throws MQClientException {
                super.start();
                if (getTraceDispatcher() instanceof AsyncTraceDispatcher dispatcher) { // made by start()
                    dispatcher.getTraceProducer().batchMaxDelayMs(QUIET_ACCUMULATOR_MS);
                }
            }
        };
        producer.batchMaxDelayMs(QUIET_ACCUMULATOR_MS);
        // RocketMQ's own fault tolerance: a master that failed a send (a hung one among them) is avoided for a while.
        producer.setSendLatencyFaultEnable(true);
        producer.setNamesrvAddr(namesrvAddr);
        producer.setInstanceName(instanceName);
        return producer;
    }

    /**
     * RocketMQ's trace dispatcher for consumption records the bridge writes itself (its pops), started: the same
     * batching, bounded queue and trace producer a traced consumer has.
     */
    AsyncTraceDispatcher consumeTraces(String group) {
        AsyncTraceDispatcher dispatcher = new AsyncTraceDispatcher(group, TraceDispatcher.Type.CONSUME, 20, null, rpcHook());
        dispatcher.getTraceProducer().batchMaxDelayMs(QUIET_ACCUMULATOR_MS);
        try {
            dispatcher.start(namesrvAddr, AccessChannel.LOCAL);
        } catch (MQClientException e) {
            throw new IllegalStateException("cannot start the trace producer for " + namesrvAddr, e);
        }
        return dispatcher;
    }

    /**
     * The bridge's client instance itself, for the broker calls no client class offers (pop, ack): the one
     * its producers and readers share, started if none of them started it yet (starting it again does nothing).
     */
    MQClientInstance clientInstance() {
        return started(MQClientManager.getInstance().getOrCreateMQClientInstance(config(instanceName), rpcHook()));
    }

    /**
     * Asks the name servers again for every route the shared client instance holds, now rather than at its next
     * route update (every 30 s): after a master joined or came back, the producers send to it and the key lookups
     * ask it at once. Throws when a name server does not answer.
     */
    void refreshRoutes() {
        MQClientInstance instance = clientInstance();
        for (String topic : List.copyOf(instance.getTopicRouteTable().keySet())) {
            instance.updateTopicRouteInfoFromNameServer(topic);
        }
    }

    /**
     * A client instance of the index lookups' own, whose answers are decoded and completed on its connections' event
     * loop, as RocketMQ's proxy has all its calls answered ({@code disableNettyWorkerGroup}, {@code
     * disableCallbackExecutor}): two thread hand-overs less per lookup (session 23, docs/benchmarks.md). So nothing
     * that runs on a lookup's completion may block (see {@link IndexQueries#queryAsync}); the bridge's other calls keep
     * the shared instance and its pools. Started; its user shuts it down.
     */
    MQClientInstance answeringOnItsEventLoop(String purpose) {
        MQClientInstance instance = MQClientManager.getInstance().getOrCreateMQClientInstance(config(instanceName + "-" + purpose), rpcHook());
        instance.getNettyClientConfig().setDisableNettyWorkerGroup(true);
        instance.getNettyClientConfig().setDisableCallbackExecutor(true);
        return started(instance);
    }

    private ClientConfig config(String name) {
        ClientConfig config = new ClientConfig();
        config.setNamesrvAddr(namesrvAddr);
        config.setInstanceName(name);
        return config;
    }

    private MQClientInstance started(MQClientInstance instance) {
        try {
            instance.start();
        } catch (MQClientException e) {
            throw new IllegalStateException("cannot start the RocketMQ client instance " + instance.getClientId() + " for " + namesrvAddr, e);
        }
        return instance;
    }
}
