package io.onsbridge.protocol.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.fasterxml.jackson.dataformat.xml.ser.ToXmlGenerator;
import io.onsbridge.domain.OnsException;
import io.onsbridge.domain.WireList;
import io.onsbridge.domain.WireObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that turns answers and errors into bytes, for every action, in JSON and XML.
 *
 * <p>JSON: the action's fields next to {@code RequestId} at the top level; wrapped lists become
 * {@code {"Item": [..]}}, bare lists {@code [..]}. XML: root element {@code <ActionResponse>} (or
 * {@code <Error>}), and every list, wrapped or bare, becomes its field element holding one element per item
 * named after the item, which is what the legacy SDK's XML reader maps to {@code Field[i]}.
 * Jackson writes non-ASCII text as is (the legacy JSON reader does not decode {@code \\uXXXX}).
 */
public final class ResponseRenderer {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final XmlMapper XML = XmlMapper.builder().enable(ToXmlGenerator.Feature.WRITE_XML_DECLARATION).build();
    private static final String JSON_TYPE = "application/json;charset=utf-8";
    private static final String XML_TYPE = "application/xml;charset=utf-8";

    private final String hostId;

    /** @param hostId what error bodies name as {@code HostId}: the endpoint's host. */
    public ResponseRenderer(String hostId) {
        this.hostId = hostId;
    }

    public RenderedResponse success(ResponseFormat format, String action, String requestId, WireObject body) {
        WireObject withId = WireObject.of().with("RequestId", requestId);
        body.forEach((name, value) -> {
            if (!name.equals("RequestId")) {
                withId.with(name, value);
            }
        });
        return render(format, 200, action + "Response", withId);
    }

    public RenderedResponse error(ResponseFormat format, String requestId, OnsException error) {
        WireObject body = WireObject.of()
                .with("RequestId", requestId)
                .with("HostId", hostId)
                .with("Code", error.code())
                .with("Message", error.getMessage());
        return render(format, error.httpStatus(), "Error", body);
    }

    private static RenderedResponse render(ResponseFormat format, int status, String root, WireObject body) {
        try {
            if (format == ResponseFormat.JSON) {
                return new RenderedResponse(status, JSON_TYPE, JSON.writeValueAsBytes(toJson(body)));
            }
            return new RenderedResponse(status, XML_TYPE, XML.writer().withRootName(root).writeValueAsBytes(toXml(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render " + root, e);
        }
    }

    // --- JSON ---------------------------------------------------------------------------------------

    private static JsonNode toJson(Object value) {
        if (value instanceof WireObject object) {
            ObjectNode node = NODES.objectNode();
            object.forEach((name, field) -> node.set(name, toJson(field)));
            return node;
        }
        if (value instanceof WireList list) {
            ArrayNode array = NODES.arrayNode();
            list.items().forEach(item -> array.add(toJson(item)));
            return list.bare() ? array : NODES.objectNode().set(list.itemName(), array);
        }
        return scalar(value);
    }

    private static JsonNode scalar(Object value) {
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof BigInteger big) {
            return NODES.numberNode(big);
        }
        if (value instanceof BigDecimal decimal) {
            return NODES.numberNode(decimal);
        }
        if (value instanceof Float f) {
            return NODES.numberNode(new BigDecimal(Float.toString(f))); // 0.1f, not 0.10000000149011612
        }
        if (value instanceof Number number) {
            return NODES.numberNode(number.doubleValue());
        }
        throw new IllegalArgumentException("not a wire value: " + value);
    }

    // --- XML ----------------------------------------------------------------------------------------

    /**
     * Jackson's XML writer turns a map entry whose value is a list into one element per item named after
     * the entry, so a list field {@code Data} becomes {@code Map.of("Item", items)} under {@code <Data>}.
     */
    private static Object toXml(Object value) {
        if (value instanceof WireObject object) {
            Map<String, Object> map = new LinkedHashMap<>();
            object.forEach((name, field) -> map.put(name, toXml(field)));
            return map;
        }
        if (value instanceof WireList list) {
            List<Object> items = list.items().stream().map(ResponseRenderer::toXml).toList();
            Map<String, Object> wrapper = new LinkedHashMap<>();
            wrapper.put(list.itemName(), items);
            return wrapper;
        }
        return value instanceof String text ? xmlText(text) : value;
    }

    /**
     * XML 1.0 cannot carry most control characters (U+0000 to U+001F but tab, newline and carriage return;
     * U+FFFE, U+FFFF; lone surrogates), not even escaped. Each one is written as six characters, a
     * backslash, {@code u} and four hex digits, so that a value stored before the bridge refused them, or an
     * error message that repeats a caller's input, still renders and still says what was there. JSON
     * carries them as they are.
     */
    static String xmlText(String text) {
        StringBuilder safe = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                    || (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)))
                    || (Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(text.charAt(i - 1)));
            if (allowed && safe == null) {
                continue;
            }
            if (safe == null) {
                safe = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (allowed) {
                safe.append(c);
            } else {
                safe.append(String.format("\\u%04X", (int) c));
            }
        }
        return safe == null ? text : safe.toString();
    }
}
