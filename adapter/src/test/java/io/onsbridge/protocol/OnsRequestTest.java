package io.onsbridge.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.onsbridge.protocol.render.ResponseFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnsRequestTest {
    // --- accessors -----------------------------------------------------------------------------------

    @Test
    void carriesRequestIdMethodActionAndVersion() {
        OnsRequest request = new OnsRequest("RID", "GET", Map.of("Action", "OnsTopicList", "Version", "2019-02-14"));
        assertThat(request.requestId()).isEqualTo("RID");
        assertThat(request.httpMethod()).isEqualTo("GET");
        assertThat(request.action()).isEqualTo("OnsTopicList");
        assertThat(request.version()).isEqualTo("2019-02-14");
    }

    @Test
    void formatDefaultsToXmlAndIsReadWithoutCase() {
        assertThat(request(Map.of()).format()).isEqualTo(ResponseFormat.XML);
        assertThat(request(Map.of("Format", "json")).format()).isEqualTo(ResponseFormat.JSON);
    }

    private static OnsRequest request(Map<String, String> params) {
        return new OnsRequest("test", "POST", params);
    }
}
