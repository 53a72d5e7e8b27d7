package io.onsbridge.protocol.auth;

import io.onsbridge.domain.OnsErrors;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@code Authorization} header of a V3 request (protocol.md section 5.8):
 * {@code ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<h1;h2>,Signature=<hex>}.
 *
 * @param signedHeaders lower-case, sorted, each once: the order the canonical request lists them in
 */
record AcsAuthorization(String accessKeyId, List<String> signedHeaders, String signature) {

    static AcsAuthorization parse(String authorization) {
        int space = authorization.indexOf(' ');
        String algorithm = space < 0 ? authorization : authorization.substring(0, space);
        if (!algorithm.equals(AcsSignatureV3.ALGORITHM)) {
            throw OnsErrors.unsupportedSignatureMethod(algorithm, AcsSignatureV3.ALGORITHM);
        }
        Map<String, String> fields = new HashMap<>();
        for (String field : authorization.substring(space + 1).split(",")) {
            int equals = field.indexOf('=');
            if (equals > 0) {
                fields.putIfAbsent(field.substring(0, equals).trim(), field.substring(equals + 1).trim());
            }
        }
        String credential = required(fields, "Credential");
        TreeSet<String> signed = new TreeSet<>();
        for (String name : required(fields, "SignedHeaders").split(";")) {
            if (!name.isBlank()) {
                signed.add(name.trim().toLowerCase(Locale.ROOT));
            }
        }
        return new AcsAuthorization(credential, List.copyOf(signed), required(fields, "Signature"));
    }

    private static String required(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null || value.isEmpty()) {
            throw OnsErrors.incompleteSignature("The Authorization header has no " + name + "=...; a V3 request sends \""
                    + AcsSignatureV3.ALGORITHM + " Credential=<AccessKeyId>,SignedHeaders=<h1;h2;...>,Signature=<hex>\".");
        }
        return value;
    }
}
