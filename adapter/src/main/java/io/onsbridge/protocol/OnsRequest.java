package io.onsbridge.protocol;

import io.onsbridge.domain.Params;
import io.onsbridge.protocol.render.ResponseFormat;
import java.util.Map;

/**
 * One ONS call as the protocol layer hands it to an action: the merged query and form parameters, the
 * HTTP method (it is signed) and the request id every answer carries. Its parameters
 * are read through {@link Params}.
 */
public final class OnsRequest {
    private final String requestId;
    private final String httpMethod;
    private final Params params;

    public OnsRequest(String requestId, String httpMethod, Map<String, String> params) {
        this.requestId = requestId;
        this.httpMethod = httpMethod;
        this.params = new Params(params);
    }

    public String requestId() {
        return requestId;
    }

    public String httpMethod() {
        return httpMethod;
    }

    /** The parameters, with the checks every action reads them through. */
    public Params params() {
        return params;
    }

    public String action() {
        return params.all().get("Action");
    }

    public String version() {
        return params.all().get("Version");
    }

    /** Parsed lazily: a bad Format is itself an error that must be rendered in some format. */
    public ResponseFormat format() {
        return ResponseFormat.of(params.all().get("Format"));
    }

}
