package io.onsbridge.mqhttp;

import io.onsbridge.domain.messaging.Delivery;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The protocol's XML: what the SDKs send (a message to publish, receipt handles to ack) read with a StAX
 * reader that resolves no DTD or entity, and what they read written by hand, in the element order and the
 * namespace {@code http://mq.aliyuncs.com/doc/v1} they expect (the Java SDK reads errors with JAXB, which
 * needs the namespace exactly).
 */
final class MqXml {
    static final String NAMESPACE = "http://mq.aliyuncs.com/doc/v1";
    private static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    private static final XMLInputFactory INPUT = XMLInputFactory.newFactory();
    /** What the SDKs refuse in a property's name or value (besides their separators). */
    private static final Pattern FORBIDDEN = Pattern.compile("[&\"'<>]");

    static {
        INPUT.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        INPUT.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    }

    private MqXml() {
    }

    /** A message to publish, as the SDKs send it. */
    record Publish(String body, String tag, Map<String, String> properties) {
    }

    static Publish publish(byte[] xml) {
        Map<String, String> texts = texts(xml, "Message");
        String body = texts.get("MessageBody");
        if (body == null) {
            throw MqHttpException.invalidArgument("The XML you provided did not validate against our published schema, cause by MessageBody:"
                    + " a <Message> needs a <MessageBody>.");
        }
        return new Publish(body, texts.get("MessageTag"), properties(texts.get("Properties")));
    }

    /** The SDKs' {@code k:v|k:v|}; a key or value may not hold {@code :} or {@code |} (the SDKs refuse them too). */
    static Map<String, String> properties(String text) {
        Map<String, String> properties = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return properties;
        }
        for (String item : text.split("\\|")) {
            if (item.isEmpty()) {
                continue;
            }
            String[] pair = item.split(":", -1);
            if (pair.length != 2 || pair[0].isEmpty() || pair[1].isEmpty() || FORBIDDEN.matcher(item).find()) {
                throw MqHttpException.invalidArgument("The property \"" + item + "\" is not name:value; names and values may not"
                        + " be empty nor hold : | & < > \" '.");
            }
            properties.put(pair[0], pair[1]);
        }
        return properties;
    }

    static List<String> receiptHandles(byte[] xml) {
        List<String> handles = new ArrayList<>();
        read(xml, "ReceiptHandles", (name, text) -> {
            if (name.equals("ReceiptHandle")) {
                handles.add(text.trim());
            }
        });
        if (handles.isEmpty()) {
            throw new MqHttpException(400, "MissingReceiptHandle", "ReceiptHandle is required: <ReceiptHandles> names none.");
        }
        return handles;
    }

    private static Map<String, String> texts(byte[] xml, String root) {
        Map<String, String> texts = new HashMap<>();
        read(xml, root, texts::putIfAbsent);
        return texts;
    }

    private interface ElementText {
        void accept(String name, String text);
    }

    /** Calls back with each child element of the root and its text; the root must have the expected name. */
    private static void read(byte[] xml, String root, ElementText each) {
        try {
            // UTF-8 named, as the SDKs send it: the reader skips guessing the encoding from the first bytes
            XMLStreamReader reader = INPUT.createXMLStreamReader(new ByteArrayInputStream(xml), StandardCharsets.UTF_8.name());
            try {
                reader.nextTag();
                if (!reader.getLocalName().equals(root)) {
                    throw malformed("the root element is <" + reader.getLocalName() + ">, not <" + root + ">");
                }
                while (reader.nextTag() == XMLStreamConstants.START_ELEMENT) {
                    String name = reader.getLocalName();
                    each.accept(name, reader.getElementText());
                }
            } finally {
                reader.close();
            }
        } catch (XMLStreamException | RuntimeException e) {
            if (e instanceof MqHttpException known) {
                throw known;
            }
            throw malformed(e.getMessage());
        }
    }

    private static MqHttpException malformed(String why) {
        return MqHttpException.malformedXml("The XML you provided was not well-formed: " + why);
    }

    // --- answers ------------------------------------------------------------------------------------------

    /** @param receiptHandle commits or rolls back a transactional message; null for any other */
    static byte[] published(String messageId, String bodyMd5, String receiptHandle) {
        return bytes(DECLARATION + "<Message xmlns=\"" + NAMESPACE + "\">" + element("MessageId", messageId)
                + element("MessageBodyMD5", bodyMd5) + (receiptHandle == null ? "" : element("ReceiptHandle", receiptHandle))
                + "</Message>");
    }

    static byte[] messages(List<Delivery> deliveries) {
        StringBuilder xml = new StringBuilder(DECLARATION).append("<Messages xmlns=\"").append(NAMESPACE).append("\">");
        for (Delivery d : deliveries) {
            String body = new String(d.body(), StandardCharsets.UTF_8);
            xml.append("<Message>")
                    .append(element("MessageId", d.messageId()))
                    .append(element("ReceiptHandle", d.receiptHandle()))
                    .append(element("MessageBodyMD5", MqDigest.md5Hex(d.body())))
                    .append(element("MessageBody", body))
                    .append(element("PublishTime", Long.toString(d.publishTime())))
                    .append(element("NextConsumeTime", Long.toString(d.nextConsumeTime())))
                    .append(element("FirstConsumeTime", Long.toString(d.firstConsumeTime())))
                    .append(element("ConsumedTimes", Integer.toString(d.consumedTimes())));
            if (d.tag() != null) {
                xml.append(element("MessageTag", d.tag()));
            }
            xml.append(element("Properties", propertiesText(d.properties()))).append("</Message>");
        }
        return bytes(xml.append("</Messages>").toString());
    }

    /** Properties the SDKs can read back: one that holds their separators would split wrongly, so it is left out. */
    static String propertiesText(Map<String, String> properties) {
        StringBuilder text = new StringBuilder();
        properties.forEach((name, value) -> {
            if (value != null && !value.isEmpty() && !name.contains(":") && !name.contains("|") && !value.contains(":")
                    && !value.contains("|")) {
                text.append(name).append(':').append(value).append('|');
            }
        });
        return text.toString();
    }

    static byte[] error(String code, String message, String requestId, String hostId) {
        return bytes(DECLARATION + "<Error xmlns=\"" + NAMESPACE + "\">" + element("Code", code) + element("Message", message)
                + element("RequestId", requestId) + element("HostId", hostId) + "</Error>");
    }

    /** One {@code <Error>} per handle that was not accepted, as the SDKs read a partly failed ack. */
    static byte[] ackErrors(Map<String, String[]> codeAndMessageByHandle) {
        StringBuilder xml = new StringBuilder(DECLARATION).append("<Errors xmlns=\"").append(NAMESPACE).append("\">");
        codeAndMessageByHandle.forEach((handle, codeAndMessage) -> xml.append("<Error>")
                .append(element("ErrorCode", codeAndMessage[0]))
                .append(element("ErrorMessage", codeAndMessage[1]))
                .append(element("ReceiptHandle", handle))
                .append("</Error>"));
        return bytes(xml.append("</Errors>").toString());
    }

    private static String element(String name, String text) {
        return "<" + name + ">" + escape(text == null ? "" : text) + "</" + name + ">";
    }

    /** XML 1.0 text: the five special characters escaped, and the control characters it cannot hold dropped. */
    static String escape(String text) {
        int plain = 0;
        while (plain < text.length() && kept(text.charAt(plain))) {
            plain++;
        }
        if (plain == text.length()) {
            return text; // most texts (ids, digests, numbers, plain bodies): nothing to escape, nothing copied
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, plain);
        for (int i = plain; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** A character XML 1.0 text holds as it is. */
    private static boolean kept(char c) {
        return c >= 0x20 ? c != '&' && c != '<' && c != '>' && c != '"' && c != '\'' : c == '\t' || c == '\n' || c == '\r';
    }

    private static byte[] bytes(String xml) {
        return xml.getBytes(StandardCharsets.UTF_8);
    }
}
