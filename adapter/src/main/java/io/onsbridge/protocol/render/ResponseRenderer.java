package io.onsbridge.protocol.render;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.fasterxml.jackson.dataformat.xml.ser.ToXmlGenerator;
import io.onsbridge.domain.OnsException;
import io.onsbridge.domain.WireList;
import io.onsbridge.domain.WireObject;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
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
    private static final JsonFactory JSON = new JsonFactory();
    private static final XmlMapper XML = XmlMapper.builder().enable(ToXmlGenerator.Feature.WRITE_XML_DECLARATION).build();
    private static final String JSON_TYPE = "application/json;charset=utf-8";
    private static final String XML_TYPE = "application/xml;charset=utf-8";

    private final String hostId;

    /** @param hostId what error bodies name as {@code HostId}: the endpoint's host. */
    public ResponseRenderer(String hostId) {
        this.hostId = hostId;
    }

    public RenderedResponse success(ResponseFormat format, String action, String requestId, WireObject body) {
        return render(format, 200, action + "Response", requestId, body);
    }

    public RenderedResponse error(ResponseFormat format, String requestId, OnsException error) {
        WireObject body = WireObject.of()
                .with("HostId", hostId)
                .with("Code", error.code())
                .with("Message", error.getMessage());
        return render(format, error.httpStatus(), "Error", requestId, body);
    }

    /** {@code RequestId} first, then the body's fields but a {@code RequestId} of its own. */
    private static RenderedResponse render(ResponseFormat format, int status, String root, String requestId, WireObject body) {
        try {
            if (format == ResponseFormat.JSON) {
                return new RenderedResponse(status, JSON_TYPE, json(requestId, body));
            }
            WireObject withId = WireObject.of().with("RequestId", requestId);
            body.forEach((name, value) -> {
                if (!name.equals("RequestId")) {
                    withId.with(name, value);
                }
            });
            return new RenderedResponse(status, XML_TYPE, XML.writer().withRootName(root).writeValueAsBytes(toXml(withId)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot render " + root, e);
        }
    }

    // --- JSON ---------------------------------------------------------------------------------------

    /**
     * Written field by field as the answer is walked, with no tree in between: a ten-trace answer has over 200
     * fields, and every byte allocated per call brings the next collection closer.
     */
    private static byte[] json(String requestId, WireObject body) throws IOException {
        FlushedBytes bytes = new FlushedBytes();
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringField("RequestId", requestId);
            for (int i = 0; i < body.size(); i++) {
                if (!body.nameAt(i).equals("RequestId")) {
                    json.writeFieldName(body.nameAt(i));
                    writeJson(json, body.valueAt(i));
                }
            }
            json.writeEndObject();
        }
        return bytes.toByteArray();
    }

    /**
     * What the generator flushes, kept at its exact size. The generator fills a buffer of its own, recycled per thread
     * (8,000 bytes), and writes it here when full or closed: most answers arrive in one write and are kept as that one
     * array, with no buffer of ours to allocate, fill and copy again (a 2 KB buffer and a copy per answer were a tenth
     * of the bridge's allocation in a trace run). A longer answer keeps each write and joins them once at the end.
     */
    private static final class FlushedBytes extends OutputStream {
        private final List<byte[]> writes = new ArrayList<>(1);
        private int size;

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes.add(Arrays.copyOfRange(b, off, off + len));
            size += len;
        }

        byte[] toByteArray() {
            if (writes.size() == 1) {
                return writes.get(0);
            }
            byte[] all = new byte[size];
            int at = 0;
            for (byte[] write : writes) {
                System.arraycopy(write, 0, all, at, write.length);
                at += write.length;
            }
            return all;
        }
    }

    private static void writeJson(JsonGenerator json, Object value) throws IOException {
        if (value instanceof WireObject object) {
            json.writeStartObject();
            for (int i = 0; i < object.size(); i++) {
                json.writeFieldName(object.nameAt(i));
                writeJson(json, object.valueAt(i));
            }
            json.writeEndObject();
        } else if (value instanceof WireList list) {
            if (!list.bare()) {
                json.writeStartObject();
                json.writeFieldName(list.itemName());
            }
            json.writeStartArray();
            for (Object item : list.items()) {
                writeJson(json, item);
            }
            json.writeEndArray();
            if (!list.bare()) {
                json.writeEndObject();
            }
        } else {
            writeScalar(json, value);
        }
    }

    private static void writeScalar(JsonGenerator json, Object value) throws IOException {
        if (value instanceof String s) {
            writeString(json, s);
        } else if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigInteger big) {
            json.writeNumber(big);
        } else if (value instanceof BigDecimal decimal) {
            json.writeNumber(decimal);
        } else if (value instanceof Float f) {
            json.writeNumber(new BigDecimal(Float.toString(f))); // 0.1f, not 0.10000000149011612
        } else if (value instanceof Number number) {
            json.writeNumber(number.doubleValue());
        } else {
            throw new IllegalArgumentException("not a wire value: " + value);
        }
    }

    /**
     * Text as UTF-8, an emoji (a surrogate pair) included: Jackson would write a pair as two {@code \\uXXXX} escapes,
     * which the legacy JSON reader shows as typed. A lone surrogate has no UTF-8 form: in a text that holds one (stored
     * by another tool), every surrogate is escaped, as JSON allows, rather than combined with its neighbour.
     */
    private static void writeString(JsonGenerator json, String text) throws IOException {
        boolean combine = !hasLoneSurrogate(text);
        json.configure(JsonGenerator.Feature.COMBINE_UNICODE_SURROGATES_IN_UTF8, combine);
        json.writeString(text);
    }

    private static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isLoneSurrogate(text, i)) {
                return true;
            }
        }
        return false;
    }

    /** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
    private static boolean isLoneSurrogate(String text, int i) {
        char c = text.charAt(i);
        return (Character.isHighSurrogate(c) && !(i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))))
                || (Character.isLowSurrogate(c) && !(i > 0 && Character.isHighSurrogate(text.charAt(i - 1))));
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
                    || (Character.isSurrogate(c) && !isLoneSurrogate(text, i));
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
