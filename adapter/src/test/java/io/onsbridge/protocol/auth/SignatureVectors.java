package io.onsbridge.protocol.auth;

import io.onsbridge.domain.Tag;
import java.util.LinkedHashMap;
import java.util.Map;

/** The signature test vectors of protocol.md 5.5 and 5.6 (secret "testsecret" in all of them). */
final class SignatureVectors {
    static final String ACCESS_KEY_ID = "testid";
    static final String SECRET = "testsecret";

    // --- 5.5: the doc's DescribeRegions example, GET ------------------------------------------------

    static final String DOC_TIMESTAMP = "2016-02-23T12:46:24Z";
    static final String DOC_CANONICALIZED_QUERY = "AccessKeyId=testid&Action=DescribeRegions&Format=XML"
            + "&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0"
            + "&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26";
    static final String DOC_STRING_TO_SIGN = "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML"
            + "%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"
            + "%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26";
    static final String DOC_SIGNATURE = "OLeaidS1JvxuMvnyHOwuJ+uX5qY=";

    // --- 5.6 A: legacy SDK, POST, everything in the query ------------------------------------------

    static final String A_TIMESTAMP = "2020-01-01T12:00:00Z";
    static final String A_CANONICALIZED_QUERY = "AccessKeyId=testid&Action=OnsTopicList&Format=JSON"
            + "&InstanceId=MQ_INST_111111111111_DOxxxxxx&RegionId=cn-hangzhou&SignatureMethod=HMAC-SHA1"
            + "&SignatureNonce=15215528852396&SignatureVersion=1.0&Tag.1.Key=CartService&Tag.1.Value=ServiceA"
            + "&Timestamp=2020-01-01T12%3A00%3A00Z&Version=2019-02-14";
    static final String A_STRING_TO_SIGN = "POST&%2F&AccessKeyId%3Dtestid%26Action%3DOnsTopicList%26Format%3DJSON"
            + "%26InstanceId%3DMQ_INST_111111111111_DOxxxxxx%26RegionId%3Dcn-hangzhou%26SignatureMethod%3DHMAC-SHA1"
            + "%26SignatureNonce%3D15215528852396%26SignatureVersion%3D1.0%26Tag.1.Key%3DCartService"
            + "%26Tag.1.Value%3DServiceA%26Timestamp%3D2020-01-01T12%253A00%253A00Z%26Version%3D2019-02-14";
    static final String A_SIGNATURE = "rjLvqLTyzX4L62AkGDaACHnefBs=";

    // --- 5.6 B: Tea SDK, POST, API parameters in the form body; C: the same with GET ----------------

    static final String B_TIMESTAMP = "2020-01-01T12:00:00Z";
    static final String B_CANONICALIZED_QUERY = "AccessKeyId=testid&Action=OnsInstanceCreate&Format=json"
            + "&InstanceName=%E6%B5%8B%E8%AF%95%E5%AE%9E%E4%BE%8B&Remark=a%20b%2Ac~&SignatureMethod=HMAC-SHA1"
            + "&SignatureNonce=d4f1a3b0-0000-4000-8000-000000000001&SignatureVersion=1.0"
            + "&Timestamp=2020-01-01T12%3A00%3A00Z&Version=2019-02-14";
    static final String B_STRING_TO_SIGN = "POST&%2F&AccessKeyId%3Dtestid%26Action%3DOnsInstanceCreate%26Format%3Djson"
            + "%26InstanceName%3D%25E6%25B5%258B%25E8%25AF%2595%25E5%25AE%259E%25E4%25BE%258B"
            + "%26Remark%3Da%2520b%252Ac~%26SignatureMethod%3DHMAC-SHA1"
            + "%26SignatureNonce%3Dd4f1a3b0-0000-4000-8000-000000000001%26SignatureVersion%3D1.0"
            + "%26Timestamp%3D2020-01-01T12%253A00%253A00Z%26Version%3D2019-02-14";
    static final String B_SIGNATURE = "BWt0+fVYS/v/76UhnCtc3bwk28c=";
    static final String C_SIGNATURE = "70lsb5yIyeJwTTGOcCk1A4FYHvk=";

    private SignatureVectors() {
    }

    /** The parameters of 5.5, without Signature; a fresh mutable map on every call. */
    static Map<String, String> docParams() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("Timestamp", DOC_TIMESTAMP);
        p.put("Format", "XML");
        p.put("AccessKeyId", ACCESS_KEY_ID);
        p.put("Action", "DescribeRegions");
        p.put("SignatureMethod", "HMAC-SHA1");
        p.put("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf");
        p.put("Version", "2014-05-26");
        p.put("SignatureVersion", "1.0");
        return p;
    }

    /** The parameters of vector A, without Signature. */
    static Map<String, String> aParams() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("Action", "OnsTopicList");
        p.put("Format", "JSON");
        p.put("Version", "2019-02-14");
        p.put("AccessKeyId", ACCESS_KEY_ID);
        p.put("SignatureMethod", "HMAC-SHA1");
        p.put("SignatureVersion", "1.0");
        p.put("SignatureNonce", "15215528852396");
        p.put("Timestamp", A_TIMESTAMP);
        p.put("RegionId", "cn-hangzhou");
        p.put("InstanceId", "MQ_INST_111111111111_DOxxxxxx");
        p.put("Tag.1.Key", "CartService");
        p.put("Tag.1.Value", "ServiceA");
        return p;
    }

    /** The parameters of vectors B and C (query and form body merged), without Signature. */
    static Map<String, String> bParams() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("Action", "OnsInstanceCreate");
        p.put("Format", "json");
        p.put("Version", "2019-02-14");
        p.put("AccessKeyId", ACCESS_KEY_ID);
        p.put("SignatureMethod", "HMAC-SHA1");
        p.put("SignatureVersion", "1.0");
        p.put("SignatureNonce", "d4f1a3b0-0000-4000-8000-000000000001");
        p.put("Timestamp", B_TIMESTAMP);
        p.put("InstanceName", "测试实例");
        p.put("Remark", "a b*c~");
        return p;
    }

    /** {@code params} plus the given Signature, as a new mutable map. */
    static Map<String, String> withSignature(Map<String, String> params, String signature) {
        Map<String, String> signed = new LinkedHashMap<>(params);
        signed.put("Signature", signature);
        return signed;
    }
}
