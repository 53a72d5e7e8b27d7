package io.onsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

/**
 * Values the bridge refuses today (control characters, markup) but an older version stored, written
 * straight into the name server's records: every answer that shows them still renders, in XML (escaped as
 * {@code \\uXXXX}) and in JSON, and parses.
 */
@OnsBridgeTest
class StoredHostileValuesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOSTILE = "a\u0001b\u0007</Remark>&<x>\"'";
    private final Bridge bridge;

    StoredHostileValuesIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    /** Rewrites one record as an older version could have left it: hostile remark and tag. */
    private void poison(String kind, String key) throws Exception {
        String namespace = "ONS_BRIDGE_" + kind;
        ObjectNode record = (ObjectNode) JSON.readTree(bridge.admin().getKVConfig(namespace, key));
        record.put("remark", HOSTILE);
        record.putObject("tags").put("k\u0002" + "<", HOSTILE);
        bridge.admin().createAndUpdateKvConfig(namespace, key, JSON.writeValueAsString(record));
    }

    @Test
    void recordsAnOlderVersionStoredStillRenderInXmlAndJson() throws Exception {
        String instance = bridge.newInstance("stored");
        bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Legacy").setMessageType(0));
        bridge.tea().onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_legacy"));
        poison("TOPIC", instance + "%Legacy");
        poison("GROUP", instance + "%GID_legacy");
        poison("INSTANCE", instance);

        List<Map<String, String>> reads = List.of(
                Map.of("Action", "OnsTopicList", "InstanceId", instance),
                Map.of("Action", "OnsGroupList", "InstanceId", instance),
                Map.of("Action", "OnsInstanceBaseInfo", "InstanceId", instance),
                Map.of("Action", "OnsInstanceInServiceList"),
                Map.of("Action", "ListTagResources", "InstanceId", instance, "ResourceType", "TOPIC", "ResourceId.1", "Legacy"));
        for (Map<String, String> read : reads) {
            for (String format : List.of("XML", "JSON")) {
                RawOnsCall call = new RawOnsCall(read.get("Action"), bridge.accessKeyId, bridge.accessKeySecret).with("Format", format);
                read.forEach(call::with);
                HttpResponse<String> answer = call.send(bridge.hostPort());
                assertThat(answer.statusCode()).as("%s %s: %s", read, format, answer.body()).isEqualTo(200);
                if (format.equals("XML")) {
                    String text = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                            .parse(new ByteArrayInputStream(answer.body().getBytes(StandardCharsets.UTF_8))).getDocumentElement().getTextContent();
                    assertThat(text).as("%s XML", read).contains("a\\u0001b\\u0007</Remark>&<x>\"'");
                } else {
                    JsonNode parsed = JSON.readTree(answer.body());
                    assertThat(parsed.toString()).as("%s JSON", read).contains("a\\u0001b\\u0007</Remark>&<x>");
                }
            }
        }
    }
}
