package io.onsbridge.protocol;

import io.onsbridge.domain.OnsErrors;
import io.onsbridge.domain.Params;
import io.onsbridge.protocol.auth.AcsSignatureV3;
import io.onsbridge.protocol.auth.SignedRequest;
import io.onsbridge.protocol.render.ResponseFormat;
import java.util.Map;

/**
 * One ONS call as the protocol layer hands it to an action: the merged query and form parameters, the
 * request id every answer carries, and what a signature covers (method, path, query string, headers,
 * body). Its parameters are read through {@link Params}.
 */
public final class OnsRequest implements SignedRequest {
    private static final byte[] NO_BODY = new byte[0];

    private final String requestId;
    private final String httpMethod;
    private final String path;
    private final Map<String, String> query;
    private final Params params;
    private final Map<String, String> headers;
    private final byte[] body;

    /** A request with every parameter in the query string of {@code /}, no header, no body. */
    public OnsRequest(String requestId, String httpMethod, Map<String, String> params) {
        this(requestId, httpMethod, "/", params, params, Map.of(), NO_BODY);
    }

    /**
     * @param query   the query string's parameters alone
     * @param params  those of the query string and the form body, merged
     * @param headers names in lower case
     * @param body    as received; kept (not only its hash) so that only V3 requests pay for hashing it
     */
    public OnsRequest(String requestId, String httpMethod, String path, Map<String, String> query, Map<String, String> params,
                      Map<String, String> headers, byte[] body) {
        this.requestId = requestId;
        this.httpMethod = httpMethod;
        this.path = path;
        this.query = query;
        this.params = new Params(params);
        this.headers = headers;
        this.body = body;
    }

    public String requestId() {
        return requestId;
    }

    @Override
    public String httpMethod() {
        return httpMethod;
    }

    /** The parameters, with the checks every action reads them through. */
    @Override
    public Params params() {
        return params;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Map<String, String> query() {
        return query;
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public String bodySha256() {
        return AcsSignatureV3.sha256Hex(body);
    }

    /** A V3 request names its action and version in signed headers, a V1 request in signed parameters. */
    private boolean signedV3() {
        return AcsSignatureV3.isV3(headers.get("authorization"));
    }

    /** For logs: may be null. */
    public String action() {
        return signedV3() ? headers.get("x-acs-action") : params.all().get("Action");
    }

    public String version() {
        return signedV3() ? headers.get("x-acs-version") : params.all().get("Version");
    }

    public String requiredAction() {
        return signedV3() ? requiredHeader("x-acs-action") : params.required("Action");
    }

    public String requiredVersion() {
        return signedV3() ? requiredHeader("x-acs-version") : params.required("Version");
    }

    private String requiredHeader(String name) {
        String value = headers.get(name);
        if (value == null || value.isBlank()) {
            throw OnsErrors.missingParameter(name);
        }
        return value.trim();
    }

    /**
     * Parsed lazily: a bad Format is itself an error that must be rendered in some format. A V3 request
     * carries no Format: its signers read JSON (protocol.md 5.9), unless it sends one anyway.
     */
    public ResponseFormat format() {
        String format = params.all().get("Format");
        if ((format == null || format.isEmpty()) && signedV3()) {
            return ResponseFormat.JSON;
        }
        return ResponseFormat.of(format);
    }
}
