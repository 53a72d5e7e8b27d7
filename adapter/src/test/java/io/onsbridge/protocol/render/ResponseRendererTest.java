package io.onsbridge.protocol.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onsbridge.domain.OnsErrors;
import io.onsbridge.domain.OnsException;
import io.onsbridge.domain.Tag;
import io.onsbridge.domain.WireList;
import io.onsbridge.domain.WireObject;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

class ResponseRendererTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RID = "4C467B38-3910-447D-87BC-AC049166F216";

    private final ResponseRenderer renderer = new ResponseRenderer("ons.cn-hangzhou.example");

    // --- JSON success --------------------------------------------------------------------------------

    @Test
    void jsonSuccessHasStatus200ContentTypeAndFieldsNextToRequestId() throws Exception {
        RenderedResponse response = renderer.success(ResponseFormat.JSON, "OnsRegionList", RID, WireObject.of().with("Total", 3));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("application/json;charset=utf-8");
        JsonNode root = json(response);
        assertThat(fieldNames(root)).containsExactly("RequestId", "Total");
        assertThat(root.get("RequestId").asText()).isEqualTo(RID);
        assertThat(root.has("OnsRegionListResponse")).isFalse();
    }

    @Test
    void jsonWrappedListIsAnObjectHoldingTheItemArray() throws Exception {
        WireObject body = WireObject.of().with("Data", WireList.wrapped("RegionDo",
                List.of(WireObject.of().with("RegionId", "cn-hangzhou"), WireObject.of().with("RegionId", "cn-beijing"))));
        JsonNode data = json(successJson(body)).get("Data");
        assertThat(fieldNames(data)).containsExactly("RegionDo");
        assertThat(data.get("RegionDo").isArray()).isTrue();
        assertThat(data.get("RegionDo").findValuesAsText("RegionId")).containsExactly("cn-hangzhou", "cn-beijing");
    }

    @Test
    void jsonBareListIsTheArrayItself() throws Exception {
        WireObject body = WireObject.of().with("TagResources", WireList.bare("TagResource",
                List.of(WireObject.of().with("TagKey", "k"))));
        JsonNode list = json(successJson(body)).get("TagResources");
        assertThat(list.isArray()).isTrue();
        assertThat(list.get(0).get("TagKey").asText()).isEqualTo("k");
    }

    @Test
    void jsonStringListAndEmptyList() throws Exception {
        WireObject body = WireObject.of()
                .with("TagsSet", WireList.wrapped("Tag", List.of("a", "b")))
                .with("Data", WireList.wrapped("PublishInfoDo", List.of()));
        JsonNode root = json(successJson(body));
        assertThat(root.get("TagsSet").toString()).isEqualTo("{\"Tag\":[\"a\",\"b\"]}");
        assertThat(root.get("Data").toString()).isEqualTo("{\"PublishInfoDo\":[]}");
    }

    @Test
    void jsonNestedListsKeepTheirOwnWrapping() throws Exception {
        WireObject item = WireObject.of().with("Name", "g1").with("Topics", WireList.wrapped("Topic", List.of("t1", "t2")));
        WireObject body = WireObject.of().with("Data", WireList.wrapped("Group", List.of(item)));
        JsonNode root = json(successJson(body));
        assertThat(root.toString()).endsWith("\"Data\":{\"Group\":[{\"Name\":\"g1\",\"Topics\":{\"Topic\":[\"t1\",\"t2\"]}}]}}");
    }

    @Test
    void jsonIntegersStayIntegersAndBooleansStayBooleans() throws Exception {
        WireObject body = WireObject.of().with("CreateTime", 1570852800000L).with("Count", 7).with("Independent", true);
        RenderedResponse response = successJson(body);
        JsonNode root = json(response);
        assertThat(root.get("CreateTime").isIntegralNumber()).isTrue();
        assertThat(root.get("CreateTime").asLong()).isEqualTo(1570852800000L);
        assertThat(root.get("Count").isIntegralNumber()).isTrue();
        assertThat(root.get("Independent").isBoolean()).isTrue();
        assertThat(text(response)).contains("\"CreateTime\":1570852800000,").doesNotContain("E12").doesNotContain(".0");
    }

    /**
     * The answer is streamed, field by field: its bytes are what Jackson's databind writes for the same fields held
     * in plain maps and lists (escapes, numbers, nesting, order).
     */
    @Test
    void jsonBytesAreWhatJacksonWritesForTheSameFields() throws Exception {
        WireObject client = WireObject.of().with("ClientHost", "10.0.0.1@4242").with("SubTime", 1570852800000L).with("CostTime", 3);
        WireObject body = WireObject.of()
                .with("Text", "quote \" backslash \\ tab \t newline \n bell \u0007 é 测试 😀")
                .with("Int", -7).with("Long", Long.MIN_VALUE).with("Short", (short) 2).with("Byte", (byte) 1)
                .with("Big", new BigInteger("123456789012345678901234567890")).with("Decimal", new BigDecimal("1.50"))
                .with("Float", 0.1f).with("Double", 2.5).with("Yes", true)
                .with("Data", WireList.wrapped("SubClientInfoDo", List.of(client, client)))
                .with("Bare", WireList.bare("TagResource", List.of("a", 1, false)))
                .with("Empty", WireList.wrapped("Item", List.of()));
        Map<String, Object> plain = new LinkedHashMap<>();
        plain.put("RequestId", RID);
        plain.put("Text", body.get("Text"));
        plain.put("Int", -7L);
        plain.put("Long", Long.MIN_VALUE);
        plain.put("Short", 2L);
        plain.put("Byte", 1L);
        plain.put("Big", body.get("Big"));
        plain.put("Decimal", body.get("Decimal"));
        plain.put("Float", new BigDecimal("0.1"));
        plain.put("Double", 2.5);
        plain.put("Yes", true);
        Map<String, Object> plainClient = new LinkedHashMap<>(client);
        plain.put("Data", Map.of("SubClientInfoDo", List.of(plainClient, plainClient)));
        plain.put("Bare", List.of("a", 1, false));
        plain.put("Empty", Map.of("Item", List.of()));
        assertThat(text(successJson(body))).isEqualTo(JSON.writeValueAsString(plain));
    }

    /** Longer than the generator's own buffer (8,000 bytes): flushed in several writes, every byte kept in order. */
    @Test
    void aLongAnswerIsWhatJacksonWritesToo() throws Exception {
        List<Object> items = new java.util.ArrayList<>();
        Map<String, Object> plain = new LinkedHashMap<>();
        plain.put("RequestId", RID);
        for (int i = 0; i < 3_000; i++) {
            items.add("item-" + i + "-测试");
        }
        plain.put("Items", Map.of("Item", items));
        RenderedResponse response = successJson(WireObject.of().with("Items", WireList.wrapped("Item", items)));
        assertThat(response.body().length).isGreaterThan(3 * 8_000);
        assertThat(text(response)).isEqualTo(JSON.writeValueAsString(plain));
    }

    @Test
    void jsonWritesNonAsciiTextAsUtf8NotAsUnicodeEscapes() {
        RenderedResponse response = successJson(WireObject.of().with("InstanceName", "测试实例").with("Remark", "ok 😀"));
        assertThat(text(response)).contains("\"InstanceName\":\"测试实例\"", "\"Remark\":\"ok 😀\"").doesNotContain("\\u");
    }

    /** A lone surrogate (stored by another tool) cannot be UTF-8: it is escaped rather than fail the whole answer. */
    @Test
    void aLoneSurrogateStillRendersInJson() throws Exception {
        RenderedResponse response = successJson(WireObject.of().with("Remark", "a\uD83Db"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response).get("Remark").asText()).isEqualTo("a\uD83Db");
    }

    @Test
    void aBodyCannotReplaceTheRequestId() throws Exception {
        JsonNode body = json(renderer.success(ResponseFormat.JSON, "OnsRegionList", RID, WireObject.of().with("RequestId", "spoof")));
        assertThat(body.get("RequestId").asText()).isEqualTo(RID);
    }

    @Test
    void floatsRenderAsWritten() throws Exception {
        JsonNode body = json(renderer.success(ResponseFormat.JSON, "A", RID, WireObject.of().with("Tps", 0.1f)));
        assertThat(body.get("Tps").toString()).isEqualTo("0.1");
    }

    @Test
    void nullFieldsAreLeftOut() throws Exception {
        WireObject body = WireObject.of().with("Remark", null).with("Name", "n");
        assertThat(fieldNames(json(successJson(body)))).containsExactly("RequestId", "Name");
        assertThat(xml(renderer.success(ResponseFormat.XML, "X", RID, body)).getElementsByTagName("Remark").getLength()).isZero();
    }

    // --- XML success ---------------------------------------------------------------------------------

    @Test
    void xmlSuccessHasActionResponseRootDeclarationAndContentType() throws Exception {
        RenderedResponse response = renderer.success(ResponseFormat.XML, "OnsTopicList", RID, WireObject.of().with("Total", 1));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("application/xml;charset=utf-8");
        assertThat(text(response)).startsWith("<?xml");
        Element root = xml(response).getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("OnsTopicListResponse");
        assertThat(childNames(root)).containsExactly("RequestId", "Total");
        assertThat(child(root, "RequestId").getTextContent()).isEqualTo(RID);
    }

    @Test
    void xmlListsRepeatTheItemElementInsideTheFieldElement() throws Exception {
        WireObject body = WireObject.of()
                .with("Data", WireList.wrapped("PublishInfoDo",
                        List.of(WireObject.of().with("Topic", "a"), WireObject.of().with("Topic", "b"))))
                .with("TagResources", WireList.bare("TagResource", List.of(WireObject.of().with("TagKey", "k"))))
                .with("MsgIds", WireList.wrapped("MsgId", List.of("m1", "m2")))
                .with("Empty", WireList.wrapped("Item", List.of()));
        Element root = xml(renderer.success(ResponseFormat.XML, "OnsTopicList", RID, body)).getDocumentElement();
        Element data = child(root, "Data");
        assertThat(childNames(data)).containsExactly("PublishInfoDo", "PublishInfoDo");
        assertThat(data.getTextContent()).isEqualTo("ab");
        assertThat(childNames(child(root, "TagResources"))).containsExactly("TagResource");
        Element msgIds = child(root, "MsgIds");
        assertThat(childNames(msgIds)).containsExactly("MsgId", "MsgId");
        assertThat(msgIds.getTextContent()).isEqualTo("m1m2");
        assertThat(childNames(child(root, "Empty"))).isEmpty();
    }

    @Test
    void xmlKeepsNumbersBooleansAndNonAsciiText() throws Exception {
        WireObject body = WireObject.of().with("CreateTime", 1570852800000L).with("Independent", false).with("Name", "测试实例");
        Element root = xml(renderer.success(ResponseFormat.XML, "X", RID, body)).getDocumentElement();
        assertThat(child(root, "CreateTime").getTextContent()).isEqualTo("1570852800000");
        assertThat(child(root, "Independent").getTextContent()).isEqualTo("false");
        assertThat(child(root, "Name").getTextContent()).isEqualTo("测试实例");
    }

    // --- errors --------------------------------------------------------------------------------------

    @Test
    void jsonErrorCarriesStatusAndRequestIdHostIdCodeMessage() throws Exception {
        OnsException error = OnsErrors.instanceNotFound("MQ_INST_1");
        RenderedResponse response = renderer.error(ResponseFormat.JSON, RID, error);
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).isEqualTo("application/json;charset=utf-8");
        JsonNode root = json(response);
        assertThat(fieldNames(root)).containsExactly("RequestId", "HostId", "Code", "Message");
        assertThat(root.get("RequestId").asText()).isEqualTo(RID);
        assertThat(root.get("HostId").asText()).isEqualTo("ons.cn-hangzhou.example");
        assertThat(root.get("Code").asText()).isEqualTo("INSTANCE_NOT_FOUND");
        assertThat(root.get("Message").asText()).isEqualTo(error.getMessage());
    }

    @Test
    void errorStatusIsTheExceptionsStatus() {
        assertThat(renderer.error(ResponseFormat.JSON, RID, OnsErrors.overloaded()).status()).isEqualTo(503);
        assertThat(renderer.error(ResponseFormat.XML, RID, OnsErrors.internal("x", null)).status()).isEqualTo(500);
    }

    @Test
    void xmlErrorHasErrorRootAndEscapesTheMessage() throws Exception {
        OnsException error = OnsErrors.missingParameter("a<&>\"b");
        RenderedResponse response = renderer.error(ResponseFormat.XML, RID, error);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).isEqualTo("application/xml;charset=utf-8");
        Element root = xml(response).getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("Error");
        assertThat(childNames(root)).containsExactly("RequestId", "HostId", "Code", "Message");
        assertThat(child(root, "Code").getTextContent()).isEqualTo("MissingParameter");
        assertThat(child(root, "Message").getTextContent()).isEqualTo(error.getMessage());
    }

    // --- helpers -------------------------------------------------------------------------------------

    private RenderedResponse successJson(WireObject body) {
        return renderer.success(ResponseFormat.JSON, "OnsTest", RID, body);
    }

    @Test
    void xmlWritesControlCharactersAsEscapesSoThatStoredValuesAndEchoedInputStillRender() throws Exception {
        WireObject body = WireObject.of().with("Remark", "a\u0001b\u001Fc\td\uFFFFe").with("Name", "\uD83D\uDE00 ok");
        Document doc = xml(renderer.success(ResponseFormat.XML, "OnsTopicList", RID, body));
        assertThat(child(doc.getDocumentElement(), "Remark").getTextContent()).isEqualTo("a\\u0001b\\u001Fc\td\\uFFFFe");
        assertThat(child(doc.getDocumentElement(), "Name").getTextContent()).isEqualTo("\uD83D\uDE00 ok");
        Document error = xml(renderer.error(ResponseFormat.XML, RID, OnsErrors.topicNotFound("a\u0001")));
        assertThat(child(error.getDocumentElement(), "Message").getTextContent()).contains("a\\u0001");
        // JSON can carry them, escaped by JSON's own rules: the value is the stored one.
        assertThat(json(successJson(body)).get("Remark").asText()).isEqualTo("a\u0001b\u001Fc\td\uFFFFe");
    }

    @Test
    void aLoneSurrogateIsEscapedToo() {
        assertThat(ResponseRenderer.xmlText("x\uD800y")).isEqualTo("x\\uD800y");
        assertThat(ResponseRenderer.xmlText("plain")).isSameAs("plain");
    }

    private static String text(RenderedResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static JsonNode json(RenderedResponse response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Document xml(RenderedResponse response) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(response.body()));
    }

    private static List<Element> children(Element parent) {
        List<Element> children = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                children.add(e);
            }
        }
        return children;
    }

    private static List<String> childNames(Element parent) {
        return children(parent).stream().map(Element::getTagName).toList();
    }

    private static Element child(Element parent, String name) {
        return children(parent).stream().filter(e -> e.getTagName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no <" + name + "> in <" + parent.getTagName() + ">"));
    }
}
