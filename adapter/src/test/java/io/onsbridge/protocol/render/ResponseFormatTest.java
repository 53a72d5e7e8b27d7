package io.onsbridge.protocol.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.onsbridge.domain.OnsException;
import org.junit.jupiter.api.Test;

class ResponseFormatTest {

    @Test
    void absentOrEmptyFormatIsXml() {
        assertThat(ResponseFormat.of(null)).isEqualTo(ResponseFormat.XML);
        assertThat(ResponseFormat.of("")).isEqualTo(ResponseFormat.XML);
    }

    @Test
    void formatIsComparedWithoutCase() {
        assertThat(ResponseFormat.of("JSON")).isEqualTo(ResponseFormat.JSON);
        assertThat(ResponseFormat.of("json")).isEqualTo(ResponseFormat.JSON);
        assertThat(ResponseFormat.of("Json")).isEqualTo(ResponseFormat.JSON);
        assertThat(ResponseFormat.of("XML")).isEqualTo(ResponseFormat.XML);
        assertThat(ResponseFormat.of("xml")).isEqualTo(ResponseFormat.XML);
    }

    @Test
    void unknownFormatIsFieldCheckInvalidNamingFormatAndTheValue() {
        OnsException e = catchThrowableOfType(OnsException.class, () -> ResponseFormat.of("YAML"));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo("BIZ_FIELD_CHECK_INVALID");
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).contains("\"Format\"").contains("YAML");
    }
}
