package io.onsbridge.bench.micro;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.onsbridge.domain.WireList;
import io.onsbridge.domain.WireObject;
import io.onsbridge.protocol.render.ResponseFormat;
import io.onsbridge.protocol.render.ResponseRenderer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Rendering an OnsTopicList answer to JSON with the bridge's {@link ResponseRenderer}, against Jackson writing the
 * same fields from plain maps and lists: of 3 topics (about 900 bytes, the size of most answers) and of 100 (about
 * 28 KB, more than the generator's own 8,000-byte buffer).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RenderMicro {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Param({"3", "100"})
    public int topics;

    private final ResponseRenderer renderer = new ResponseRenderer("ons-bridge");
    private WireObject answer;
    private Map<String, Object> plain;

    @Setup
    public void answer() {
        List<WireObject> items = new ArrayList<>();
        List<Map<String, Object>> plainItems = new ArrayList<>();
        for (int i = 0; i < topics; i++) {
            WireObject item = WireObject.of()
                    .with("Topic", "Topic" + i)
                    .with("InstanceId", "MQ_INST_1234567890_BXaBcDeF")
                    .with("MessageType", 0)
                    .with("Remark", "a topic of the micro benchmark")
                    .with("CreateTime", 1_700_000_000_000L + i)
                    .with("IndependentNaming", true)
                    .with("Owner", "1234567890")
                    .with("Relation", 6)
                    .with("RelationName", "授权发布/订阅")
                    .with("Tags", WireList.wrapped("Tag", List.of()));
            items.add(item);
            Map<String, Object> copy = new LinkedHashMap<>(item);
            copy.put("Tags", Map.of("Tag", List.of()));
            plainItems.add(copy);
        }
        answer = WireObject.of().with("Data", WireList.wrapped("PublishInfoDo", items));
        plain = new LinkedHashMap<>();
        plain.put("RequestId", "2C4D4F0A-1F5B-4B7E-9A55-000000000000");
        plain.put("Data", Map.of("PublishInfoDo", plainItems));
    }

    @Benchmark
    public byte[] render() {
        return renderer.success(ResponseFormat.JSON, "OnsTopicList", "2C4D4F0A-1F5B-4B7E-9A55-000000000000", answer).body();
    }

    @Benchmark
    public byte[] plainJackson() throws Exception {
        return JSON.writeValueAsBytes(plain);
    }
}
