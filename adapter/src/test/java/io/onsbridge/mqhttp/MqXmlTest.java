package io.onsbridge.mqhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onsbridge.domain.messaging.Delivery;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The protocol's XML as the SDKs write and read it. */
class MqXmlTest {
    @Test
    void readsAPublishAsTheJavaSdkWritesIt() {
        MqXml.Publish publish = MqXml.publish(bytes("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>"
                + "<Message xmlns=\"http://mq.aliyuncs.com/doc/v1\"><MessageBody>a &amp; b</MessageBody><MessageTag>TagA</MessageTag>"
                + "<Properties>KEYS:k1|__STARTDELIVERTIME:1700000000000|color:red|</Properties></Message>"));
        assertThat(publish.body()).isEqualTo("a & b");
        assertThat(publish.tag()).isEqualTo("TagA");
        assertThat(publish.properties()).containsExactly(Map.entry("KEYS", "k1"), Map.entry("__STARTDELIVERTIME", "1700000000000"),
                Map.entry("color", "red"));
    }

    @Test
    void aTransactionalPublishAnswersItsReceiptHandleAfterTheDigest() {
        String answer = new String(MqXml.published("ID1", "MD5", "H1"), StandardCharsets.UTF_8);
        assertThat(answer).contains("<MessageId>ID1</MessageId><MessageBodyMD5>MD5</MessageBodyMD5><ReceiptHandle>H1</ReceiptHandle>");
        assertThat(new String(MqXml.published("ID1", "MD5", null), StandardCharsets.UTF_8)).doesNotContain("ReceiptHandle");
    }

    @Test
    void aMessageWithoutBodyOrNotXmlIsAClientError() {
        assertThatThrownBy(() -> MqXml.publish(bytes("<Message><MessageTag>a</MessageTag></Message>")))
                .isInstanceOfSatisfying(MqHttpException.class, e -> assertThat(e.code()).isEqualTo("InvalidArgument"));
        assertThatThrownBy(() -> MqXml.publish(bytes("<Message><MessageBody>a</Message>")))
                .isInstanceOfSatisfying(MqHttpException.class, e -> assertThat(e.code()).isEqualTo("MalformedXML"));
        assertThatThrownBy(() -> MqXml.publish(bytes("not xml")))
                .isInstanceOfSatisfying(MqHttpException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void anEntityIsNeverResolved() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<Message><MessageBody>&x;</MessageBody></Message>";
        assertThatThrownBy(() -> MqXml.publish(bytes(xxe))).isInstanceOfSatisfying(MqHttpException.class,
                e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void aPropertyWithoutValueIsRefused() {
        assertThatThrownBy(() -> MqXml.properties("a:|b:c|")).isInstanceOf(MqHttpException.class);
        assertThatThrownBy(() -> MqXml.properties("a:b:c|")).isInstanceOf(MqHttpException.class);
        for (String forbidden : new String[] {"&", "\"", "'", "<", ">"}) {
            assertThatThrownBy(() -> MqXml.properties("a:x" + forbidden + "y|")).isInstanceOfSatisfying(MqHttpException.class,
                    e -> assertThat(e.status()).isEqualTo(400));
        }
    }

    @Test
    void readsReceiptHandles() {
        assertThat(MqXml.receiptHandles(bytes("<ReceiptHandles xmlns=\"http://mq.aliyuncs.com/doc/v1\">"
                + "<ReceiptHandle>h1</ReceiptHandle><ReceiptHandle> h2 </ReceiptHandle></ReceiptHandles>"))).containsExactly("h1", "h2");
        assertThatThrownBy(() -> MqXml.receiptHandles(bytes("<ReceiptHandles/>")))
                .isInstanceOfSatisfying(MqHttpException.class, e -> assertThat(e.code()).isEqualTo("MissingReceiptHandle"));
    }

    @Test
    void writesMessagesWithTheElementsTheSdksRead() {
        Delivery delivery = new Delivery("ID1", bytes("<b>"), "T", Map.of("KEYS", "k"), 10L, "h", 30L, 20L, 2);
        String xml = new String(MqXml.messages(List.of(delivery)), StandardCharsets.UTF_8);
        assertThat(xml).contains("<Messages xmlns=\"http://mq.aliyuncs.com/doc/v1\"><Message><MessageId>ID1</MessageId>"
                + "<ReceiptHandle>h</ReceiptHandle><MessageBodyMD5>" + MqDigest.md5Hex(bytes("<b>")) + "</MessageBodyMD5>"
                + "<MessageBody>&lt;b&gt;</MessageBody><PublishTime>10</PublishTime><NextConsumeTime>30</NextConsumeTime>"
                + "<FirstConsumeTime>20</FirstConsumeTime><ConsumedTimes>2</ConsumedTimes><MessageTag>T</MessageTag>"
                + "<Properties>KEYS:k|</Properties></Message></Messages>");
    }

    @Test
    void escapesTheFiveSpecialCharactersAndDropsWhatXmlCannotHoldWhereverTheyStand() {
        String plain = "ID-0A1B2C/eu berlin\t\u00e9\u4e2d";
        assertThat(MqXml.escape(plain)).isSameAs(plain); // nothing to escape: the text itself
        assertThat(MqXml.escape("a&b<c>d\"e'f")).isEqualTo("a&amp;b&lt;c&gt;d&quot;e&apos;f");
        assertThat(MqXml.escape("<start")).isEqualTo("&lt;start");
        assertThat(MqXml.escape("end>")).isEqualTo("end&gt;");
        assertThat(MqXml.escape("bell\u0007 and\r\nnewline\u0000")).isEqualTo("bell and\r\nnewline");
        assertThat(MqXml.escape("")).isEmpty();
    }

    @Test
    void writesErrorsInTheNamespaceJaxbNeeds() {
        String xml = new String(MqXml.error("MessageNotExist", "none", "R1", "H"), StandardCharsets.UTF_8);
        assertThat(xml).endsWith("<Error xmlns=\"http://mq.aliyuncs.com/doc/v1\"><Code>MessageNotExist</Code><Message>none</Message>"
                + "<RequestId>R1</RequestId><HostId>H</HostId></Error>");
    }

    @Test
    void md5IsUpperCaseHex() {
        assertThat(MqDigest.md5Hex(bytes("hello"))).isEqualTo("5D41402ABC4B2A76B9719D911017C592");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
