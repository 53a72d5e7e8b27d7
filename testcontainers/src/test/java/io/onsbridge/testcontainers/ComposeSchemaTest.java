package io.onsbridge.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * docker/compose.yaml against the Compose Specification's schema (the one docker compose validates
 * with, see compose-spec.README): misspelt keys and wrong types fail here, where no compose client is.
 */
class ComposeSchemaTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theComposeFileFollowsTheSpecification() throws IOException {
        JsonNode compose = YAML.readTree(Repository.ROOT.resolve("docker/compose.yaml").toFile());
        assertThat(schema().validate(compose)).isEmpty();
    }

    @Test
    void theSchemaCatchesAMisspeltKey() throws IOException {
        ObjectNode compose = (ObjectNode) YAML.readTree(Repository.ROOT.resolve("docker/compose.yaml").toFile());
        ObjectNode bridge = (ObjectNode) compose.path("services").path("bridge");
        bridge.set("depend_on", bridge.remove("depends_on"));
        Set<ValidationMessage> errors = schema().validate(compose);
        assertThat(errors).isNotEmpty().anySatisfy(error -> assertThat(error.getMessage()).contains("depend_on"));
    }

    private static JsonSchema schema() throws IOException {
        try (InputStream in = ComposeSchemaTest.class.getResourceAsStream("/compose-spec.json")) {
            // A base for the schema's relative $id; its references are all inside the document, nothing is fetched.
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(SchemaLocation.of("https://github.com/compose-spec/compose-go/schema/compose-spec.json"),
                            new ObjectMapper().readTree(in));
        }
    }
}
