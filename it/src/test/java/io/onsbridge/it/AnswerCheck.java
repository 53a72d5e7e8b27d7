package io.onsbridge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;

/**
 * What the fuzz tests require of every answer to a hostile call: one came, not a 5xx, no Java detail,
 * in the asked format when it is a success, and an error body of the documented shape (Code, Message,
 * RequestId) that parses.
 */
final class AnswerCheck {
    /**
     * An answer later than this is no answer: the call hangs. Every call is sent with it as its timeout.
     * (The answers the fuzz tests expect take milliseconds; {@link #PROMPT} is what they are held to.)
     */
    static final Duration HANG = Duration.ofSeconds(10);
    /**
     * Every call should be answered within this (issue 19). A shared 2-core machine can stall a process for
     * longer now and then (seen: 6 of 14,448 calls at load average 9 with other builds running), so the
     * tests allow {@link #allowedLate} such answers and name every one; a bridge that is slow, not the
     * machine, makes far more.
     */
    static final Duration PROMPT = Duration.ofSeconds(1);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private AnswerCheck() {
    }

    /** What one fuzz call came to: the call, what is wrong with its answer and how late it was (null: nothing). */
    record Verdict(String what, String problem, String lateness) {
    }

    /**
     * Sends the action with the valid values and one hostile parameter, as the variant says ("GET JSON",
     * "POST XML", …: the method, and the format asked for), and checks the answer.
     */
    static Verdict fuzz(Bridge bridge, String action, Map<String, String> valid, String parameter, String value, String variant) {
        String format = variant.substring(variant.indexOf(' ') + 1);
        RawOnsCall call = new RawOnsCall(action, bridge.accessKeyId, bridge.accessKeySecret).with("Format", format);
        valid.forEach(call::with);
        call.with(parameter, value);
        HttpRequest request = variant.startsWith("GET")
                ? HttpRequest.newBuilder(call.signedUri(bridge.hostPort())).timeout(HANG).GET().build()
                : call.signedFormPost(bridge.hostPort(), HANG);
        String what = action + " " + parameter + "=" + abbreviate(value) + " (" + variant + ")";
        long begin = System.nanoTime();
        // A hostile Format is answered in the format the error falls back to: JSON or XML, either is parsed.
        String problem = problem(request, parameter.equals("Format") ? "either" : format);
        return new Verdict(what, problem, lateness(what, System.nanoTime() - begin));
    }

    /**
     * Null when the answer is a documented one; what is wrong with it otherwise.
     *
     * @param format the format a success must be in: JSON, XML, or "either"
     */
    static String problem(HttpRequest request, String format) {
        HttpResponse<String> answer;
        try {
            answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            return "no answer within " + request.timeout().map(Duration::toString).orElse("the client's default") + ": " + e;
        }
        String body = answer.body();
        if (answer.statusCode() >= 500) {
            return "HTTP " + answer.statusCode() + " " + abbreviate(body);
        }
        if (body.contains("Exception") || body.contains("at io.onsbridge") || body.contains("java.")) {
            return "a Java detail in " + abbreviate(body);
        }
        boolean xml = body.startsWith("<?xml");
        if (!format.equals("either") && xml != format.equals("XML") && answer.statusCode() == 200) {
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

    /** Answers later than {@link #PROMPT} that a run of this many calls may have: one in a thousand, at least one. */
    static int allowedLate(int calls) {
        return Math.max(1, calls / 1_000);
    }

    /** The call's time when it was later than {@link #PROMPT}, else null: "OnsTopicList (1,204 ms)". */
    static String lateness(String call, long nanos) {
        long millis = nanos / 1_000_000;
        return millis > PROMPT.toMillis() ? call + " (" + millis + " ms)" : null;
    }

    static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
