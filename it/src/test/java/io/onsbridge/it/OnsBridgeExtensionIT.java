package io.onsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.ons.model.v20190214.OnsRegionListRequest;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.nio.charset.StandardCharsets;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.Test;

/** @OnsBridgeTest as a user's test sees it: one environment per run, with working clients. */
@OnsBridgeTest
class OnsBridgeExtensionIT {
    private final OnsBridgeEnvironment fromConstructor;

    OnsBridgeExtensionIT(OnsBridgeEnvironment env) {
        this.fromConstructor = env;
    }

    @Test
    void oneEnvironmentIsInjectedWithWorkingClients(OnsBridgeEnvironment env) throws Exception {
        assertThat(env).isSameAs(fromConstructor);
        assertThat(env.endpoint()).isEqualTo("http://" + env.hostPort());
        assertThat(env.teaClient().onsRegionList().getBody().getData().getRegionDo())
                .singleElement().satisfies(r -> assertThat(r.getOnsRegionId()).isEqualTo(env.region()));
        OnsRegionListRequest legacy = new OnsRegionListRequest();
        legacy.setSysEndpoint(env.hostPort());
        legacy.setSysProtocol(ProtocolType.HTTP);
        assertThat(env.legacyClient().getAcsResponse(legacy).getData()).hasSize(1);

        String instance = env.teaClient().onsInstanceCreate(new com.aliyun.ons20190214.models.OnsInstanceCreateRequest()
                .setInstanceName("extension_check")).getBody().getData().getInstanceId();
        env.teaClient().onsTopicCreate(new com.aliyun.ons20190214.models.OnsTopicCreateRequest()
                .setInstanceId(instance).setTopic("FromExtension").setMessageType(0));
        DefaultMQProducer producer = new DefaultMQProducer(instance, "GID_extension", null);
        producer.setNamesrvAddr(env.namesrvAddr());
        producer.setInstanceName("it-extension");
        producer.start();
        try {
            assertThat(producer.send(new Message("FromExtension", "hello".getBytes(StandardCharsets.UTF_8))).getSendStatus())
                    .isEqualTo(SendStatus.SEND_OK);
        } finally {
            producer.shutdown();
        }
    }
}
