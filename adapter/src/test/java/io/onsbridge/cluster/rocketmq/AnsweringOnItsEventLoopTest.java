package io.onsbridge.cluster.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.impl.factory.MQClientInstance;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.remoting.InvokeCallback;
import org.apache.rocketmq.remoting.netty.NettyRemotingServer;
import org.apache.rocketmq.remoting.netty.NettyRequestProcessor;
import org.apache.rocketmq.remoting.netty.NettyServerConfig;
import org.apache.rocketmq.remoting.netty.ResponseFuture;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.header.QueryMessageRequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where a reply to an index lookup completes: on the event loop of the client instance the lookups have to themselves
 * ({@link ClientFactory#answeringOnItsEventLoop}), on a pool of the shared one. A real RocketMQ remoting server stands
 * for the broker, answering every query "not found" as a broker does for a key it does not index.
 */
class AnsweringOnItsEventLoopTest {
    private NettyRemotingServer broker;
    private ExecutorService brokerThreads;
    private ClientFactory clients;

    @BeforeEach
    void startBroker() {
        NettyServerConfig config = new NettyServerConfig();
        config.setBindAddress("127.0.0.1");
        config.setListenPort(0);
        broker = new NettyRemotingServer(config);
        brokerThreads = Executors.newSingleThreadExecutor();
        broker.registerDefaultProcessor(new NettyRequestProcessor() {
            @Override
            public RemotingCommand processRequest(io.netty.channel.ChannelHandlerContext ctx, RemotingCommand request) {
                return RemotingCommand.createResponseCommand(ResponseCode.QUERY_NOT_FOUND, "no such key");
            }

            @Override
            public boolean rejectRequest() {
                return false;
            }
        }, brokerThreads);
        broker.start();
        // no name server is needed to send to a broker address; an unreachable one is only retried in the background
        clients = new ClientFactory("127.0.0.1:1", ClusterCredentials.NONE, 3_000);
    }

    @AfterEach
    void stopBroker() {
        broker.shutdown();
        brokerThreads.shutdownNow();
    }

    @Test
    void aReplyCompletesOnTheLookupClientsEventLoopAndOnAPoolOfTheSharedOne() throws Exception {
        MQClientInstance lookups = clients.answeringOnItsEventLoop("index");
        MQClientInstance shared = clients.clientInstance();
        try {
            assertThat(threadAnswering(lookups)).startsWith("NettyClientSelector_");
            assertThat(threadAnswering(shared)).doesNotStartWith("NettyClientSelector_").doesNotStartWith("NettyClientWorkerThread_");
        } finally {
            lookups.shutdown();
            shared.shutdown();
        }
    }

    /** The name of the thread that a reply to one index query, sent through {@code instance}, completes on. */
    private String threadAnswering(MQClientInstance instance) throws Exception {
        QueryMessageRequestHeader header = new QueryMessageRequestHeader();
        header.setTopic("TopicA");
        header.setKey("key-1");
        header.setMaxNum(32);
        header.setBeginTimestamp(0L);
        header.setEndTimestamp(Long.MAX_VALUE);
        header.setIndexType(MessageConst.INDEX_KEY_TYPE);
        CompletableFuture<String> answeredOn = new CompletableFuture<>();
        instance.getMQClientAPIImpl().queryMessage("127.0.0.1:" + broker.localListenPort(), header, 3_000, new InvokeCallback() {
            @Override
            public void operationComplete(ResponseFuture responseFuture) {
            }

            @Override
            public void operationSucceed(RemotingCommand response) {
                answeredOn.complete(response.getCode() == ResponseCode.QUERY_NOT_FOUND ? Thread.currentThread().getName()
                        : "unexpected code " + response.getCode());
            }

            @Override
            public void operationFail(Throwable throwable) {
                answeredOn.completeExceptionally(throwable);
            }
        }, false);
        return answeredOn.get(10, TimeUnit.SECONDS);
    }
}
