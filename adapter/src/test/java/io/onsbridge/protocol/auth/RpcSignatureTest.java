package io.onsbridge.protocol.auth;

import static io.onsbridge.protocol.auth.SignatureVectors.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.onsbridge.domain.Tag;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RpcSignatureTest {

    // --- percentEncode (protocol.md 5.1) -------------------------------------------------------------

    @Test
    void percentEncodeKeepsUnreservedCharacters() {
        String unreserved = "ABCXYZabcxyz0189-_.~";
        assertThat(RpcSignature.percentEncode(unreserved)).isEqualTo(unreserved);
    }

    @Test
    void percentEncodeWritesSpaceAsPercent20NeverPlus() {
        assertThat(RpcSignature.percentEncode("a b")).isEqualTo("a%20b");
    }

    @Test
    void percentEncodeUsesUpperCaseHexForReservedCharacters() {
        assertThat(RpcSignature.percentEncode("\"/:*+=&%")).isEqualTo("%22%2F%3A%2A%2B%3D%26%25");
    }

    @Test
    void percentEncodeEncodesEachUtf8ByteOfNonAsciiText() {
        assertThat(RpcSignature.percentEncode("测")).isEqualTo("%E6%B5%8B");
    }

    // --- canonicalizedQuery (5.2) --------------------------------------------------------------------

    @Test
    void canonicalizedQueryMatchesTheDocVector() {
        assertThat(RpcSignature.canonicalizedQuery(docParams())).isEqualTo(DOC_CANONICALIZED_QUERY);
    }

    @Test
    void canonicalizedQueryMatchesVectorsAAndB() {
        assertThat(RpcSignature.canonicalizedQuery(aParams())).isEqualTo(A_CANONICALIZED_QUERY);
        assertThat(RpcSignature.canonicalizedQuery(bParams())).isEqualTo(B_CANONICALIZED_QUERY);
    }

    @Test
    void canonicalizedQueryLeavesOutTheSignature() {
        Map<String, String> signed = withSignature(docParams(), DOC_SIGNATURE);
        assertThat(RpcSignature.canonicalizedQuery(signed)).isEqualTo(DOC_CANONICALIZED_QUERY);
    }

    @Test
    void canonicalizedQuerySortsByCharacterCodeSoTag10PrecedesTag2() {
        Map<String, String> params = Map.of("Tag.2.Key", "b", "Tag.10.Key", "a", "Action", "X");
        assertThat(RpcSignature.canonicalizedQuery(params)).isEqualTo("Action=X&Tag.10.Key=a&Tag.2.Key=b");
    }

    @Test
    void canonicalizedQueryKeepsEmptyValuesAsNameEquals() {
        assertThat(RpcSignature.canonicalizedQuery(Map.of("A", "", "B", "1"))).isEqualTo("A=&B=1");
    }

    // --- stringToSign (5.3) --------------------------------------------------------------------------

    @Test
    void stringToSignMatchesTheDocVector() {
        assertThat(RpcSignature.stringToSign("GET", docParams())).isEqualTo(DOC_STRING_TO_SIGN);
    }

    @Test
    void stringToSignMatchesVectorsAAndB() {
        assertThat(RpcSignature.stringToSign("POST", aParams())).isEqualTo(A_STRING_TO_SIGN);
        assertThat(RpcSignature.stringToSign("POST", bParams())).isEqualTo(B_STRING_TO_SIGN);
    }

    @Test
    void stringToSignStartsWithTheHttpMethod() {
        assertThat(RpcSignature.stringToSign("GET", bParams())).isEqualTo("GET" + B_STRING_TO_SIGN.substring("POST".length()));
    }

    // --- sign (5.4) ----------------------------------------------------------------------------------

    @Test
    void signMatchesTheDocVector() {
        assertThat(RpcSignature.sign(SECRET, DOC_STRING_TO_SIGN)).isEqualTo(DOC_SIGNATURE);
    }

    @Test
    void signMatchesVectorA() {
        assertThat(RpcSignature.sign(SECRET, RpcSignature.stringToSign("POST", aParams()))).isEqualTo(A_SIGNATURE);
    }

    @Test
    void signMatchesVectorB() {
        assertThat(RpcSignature.sign(SECRET, B_STRING_TO_SIGN)).isEqualTo(B_SIGNATURE);
    }

    @Test
    void signMatchesVectorCTheGetVariantOfB() {
        assertThat(RpcSignature.sign(SECRET, RpcSignature.stringToSign("GET", bParams()))).isEqualTo(C_SIGNATURE);
    }

    @Test
    void signDependsOnTheSecret() {
        assertThat(RpcSignature.sign("othersecret", DOC_STRING_TO_SIGN)).isNotEqualTo(DOC_SIGNATURE).hasSize(28);
    }
}
