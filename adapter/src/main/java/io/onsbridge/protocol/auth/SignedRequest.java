package io.onsbridge.protocol.auth;

import io.onsbridge.domain.Params;
import java.util.Map;

/**
 * What a signature covers, as the front door decoded it. An interface here, implemented by
 * {@code protocol.OnsRequest}, so that this package need not import the one above it.
 */
public interface SignedRequest {
    String httpMethod();

    /** Every parameter of the query string and the form body, merged (V1 signs them all). */
    Params params();

    /** The URL's path, percent-decoded. */
    String path();

    /** The query string's parameters only, decoded (V3 signs these; the body is covered by its hash). */
    Map<String, String> query();

    /** The headers, names in lower case, the first value of a repeated one. */
    Map<String, String> headers();

    /** Lower-case hex SHA-256 of the body as received (of no bytes when there is none). */
    String bodySha256();
}
