package io.onsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.models.OnsGroupCreateRequest;
import com.aliyun.ons20190214.models.OnsTopicCreateRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * Every action, every common parameter, hostile values (control characters, a lone surrogate, markup,
 * oversized and malformed numbers), in JSON and XML, in the query of a GET and the form body of a POST: each call is answered, never with a 5xx, always
 * with a body of the documented shape that parses, and never with a stack trace or a Java class name.
 */
@OnsBridgeTest
class HostileInputIT {
    private static final List<String> ACTIONS = List.of("OpenOnsService", "OnsRegionList", "OnsInstanceCreate", "OnsInstanceBaseInfo",
            "OnsInstanceUpdate", "OnsInstanceInServiceList", "OnsTopicCreate", "OnsTopicStatus", "OnsTopicList", "OnsTopicUpdate",
            "OnsTopicSubDetail", "OnsGroupCreate", "OnsGroupList", "OnsGroupSubDetail", "OnsGroupConsumerUpdate", "TagResources",
            "ListTagResources", "UntagResources", "OnsMessageTrace", "OnsMessageGetByMsgId", "OnsMessageGetByKey",
            "OnsMessagePageQueryByTopic", "OnsMessageDetail", "OnsMessageSend", "OnsDLQMessageGetById", "OnsDLQMessagePageQueryByGroupId",
            "OnsDLQMessageResendById", "OnsConsumerAccumulate", "OnsConsumerStatus", "OnsConsumerGetConnection", "OnsConsumerResetOffset",
            "OnsConsumerTimeSpan", "OnsMessagePush", "OnsTraceQueryByMsgId", "OnsTraceQueryByMsgKey", "OnsTraceGetResult",
            "OnsTrendTopicInputTps", "OnsTrendGroupOutputTps", "OnsWarnCreate", "OnsWarnDelete",
            // deletes last: with the fixtures' names they would remove them
            "OnsTopicDelete", "OnsGroupDelete", "OnsInstanceDelete");
    private static final List<String> PARAMS = List.of("InstanceId", "Topic", "GroupId", "MsgId", "Key", "Remark", "MessageType",
            "BeginTime", "CurrentPage", "TaskId", "QueryId", "Tag.1.Key", "ResourceId.1", "Format");
    private static final List<String> HOSTILE = List.of("a\u0001b", "\u0000", "x\uD800y", "<Error>&amp;\"'", "9".repeat(40), "-1",
            "x".repeat(5_000), "%ZZ ../..");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every call is answered within this, whatever its input (a cluster write under a lock included). */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

    private final Bridge bridge;

    HostileInputIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @Test
    void everyHostileValueOfEveryActionIsAnsweredWithADocumentedClientError() throws Exception {
        String instance = bridge.newInstance("hostile");
        bridge.tea().onsTopicCreate(new OnsTopicCreateRequest().setInstanceId(instance).setTopic("Fuzzed").setMessageType(0));
        bridge.tea().onsGroupCreate(new OnsGroupCreateRequest().setInstanceId(instance).setGroupId("GID_fuzzed"));
        Map<String, String> valid = new LinkedHashMap<>();
        valid.put("InstanceId", instance);
        valid.put("Topic", "Fuzzed");
        valid.put("GroupId", "GID_fuzzed");
        List<String> failures = new ArrayList<>();
        int calls = 0;
        for (String action : ACTIONS) {
            for (String param : PARAMS) {
                for (String value : HOSTILE) {
                    for (String variant : List.of("GET JSON", "GET XML", "POST XML")) {
                        String format = variant.substring(variant.indexOf(' ') + 1);
                        RawOnsCall call = new RawOnsCall(action, bridge.accessKeyId, bridge.accessKeySecret).with("Format", format);
                        valid.forEach(call::with);
                        call.with(param, value);
                        HttpRequest request = variant.startsWith("GET")
                                ? HttpRequest.newBuilder(call.signedUri(bridge.hostPort())).timeout(ANSWER_WITHIN).GET().build()
                                : call.signedFormPost(bridge.hostPort(), ANSWER_WITHIN);
                        String problem = problem(request, param.equals("Format") ? "JSON" : format);
                        calls++;
                        if (problem != null) {
                            failures.add(action + " " + param + "=" + abbreviate(value) + " (" + variant + "): " + problem);
                        }
                    }
                }
            }
        }
        assertThat(failures).as("of %d calls", calls).isEmpty();
    }

    /** Null when the answer is a documented one; what is wrong with it otherwise. */
    private String problem(HttpRequest request, String format) {
        HttpResponse<String> answer;
        try {
            answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            return "no answer: " + e;
        }
        String body = answer.body();
        if (answer.statusCode() >= 500) {
            return "HTTP " + answer.statusCode() + " " + abbreviate(body);
        }
        if (body.contains("Exception") || body.contains("at io.onsbridge") || body.contains("java.")) {
            return "a Java detail in " + abbreviate(body);
        }
        boolean xml = body.startsWith("<?xml");
        if (xml != format.equals("XML") && answer.statusCode() == 200) {
            return "answered in the wrong format: " + abbreviate(body);
        }
        try {
            if (xml) {
                Element root = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                        .parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
                if (answer.statusCode() >= 400 && (root.getElementsByTagName("Code").getLength() != 1
                        || root.getElementsByTagName("Message").getLength() != 1 || root.getElementsByTagName("RequestId").getLength() != 1)) {
                    return "an XML error without Code, Message and RequestId: " + abbreviate(body);
                }
            } else {
                JsonNode node = JSON.readTree(body);
                if (answer.statusCode() >= 400 && (!node.hasNonNull("Code") || !node.hasNonNull("Message") || !node.hasNonNull("RequestId"))) {
                    return "a JSON error without Code, Message and RequestId: " + abbreviate(body);
                }
            }
        } catch (Exception e) {
            return "an answer that does not parse (" + e.getMessage() + "): " + abbreviate(body);
        }
        return null;
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
