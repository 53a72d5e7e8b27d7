package io.onsbridge.mqhttp;

import io.onsbridge.protocol.auth.CredentialStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Checks a request's {@code Authorization: MQ AccessKeyId:signature} against the keys the ONS API accepts,
 * and its {@code Date} against the clock (±15 minutes, as ONS does). Answers the AccessKeyId.
 */
final class MqAuthenticator {
    static final Duration WINDOW = Duration.ofMinutes(15);

    private final CredentialStore credentials;
    private final Clock clock;
    /** The last Date header read: a client sends the same one all second long, and parsing it costs more than the signature. */
    private volatile ParsedDate lastDate = new ParsedDate("", Instant.EPOCH);

    private record ParsedDate(String header, Instant at) {
    }

    MqAuthenticator(CredentialStore credentials, Clock clock) {
        this.credentials = credentials;
        this.clock = clock;
    }

    /** @param headers every header of the request, names in any case */
    String authenticate(String method, Map<String, String> headers, String target) {
        String authorization = header(headers, "authorization");
        if (authorization == null || authorization.isBlank()) {
            throw new MqHttpException(400, "MissingAuthorizationHeader", "Authorization header is required.");
        }
        if (!authorization.startsWith("MQ ") || authorization.indexOf(':') < 0) {
            throw new MqHttpException(400, "InvalidAuthorizationHeader",
                    "The Authorization header format is invalid: it is \"MQ AccessKeyId:Signature\".");
        }
        String credential = authorization.substring(3).trim();
        int colon = credential.lastIndexOf(':');
        String accessKeyId = credential.substring(0, colon);
        String signature = credential.substring(colon + 1);
        String date = header(headers, "date");
        if (date == null) {
            throw new MqHttpException(400, "MissingDateHeader", "Date header is required.");
        }
        checkDate(date);
        String secret = credentials.secretOf(accessKeyId)
                .orElseThrow(() -> new MqHttpException(403, "InvalidAccessKeyId", "The AccessKey Id you provided is not exist."));
        String stringToSign = MqSignature.stringToSign(method, header(headers, "content-md5"), header(headers, "content-type"), date,
                headers, target);
        byte[] expected = MqSignature.sign(secret, stringToSign).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8))) {
            throw new MqHttpException(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature"
                    + " you provided. Check your key and signing method. String to sign: " + stringToSign.replace("\n", "\\n"));
        }
        return accessKeyId;
    }

    private void checkDate(String date) {
        ParsedDate last = lastDate;
        Instant at;
        if (last.header().equals(date)) {
            at = last.at();
        } else {
            try {
                at = ZonedDateTime.parse(date.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                throw new MqHttpException(400, "InvalidDateHeader", "The Date header format is invalid: \"" + date
                        + "\" is not an RFC 1123 date such as \"Tue, 01 Dec 2026 08:00:00 GMT\".");
            }
            lastDate = new ParsedDate(date, at);
        }
        Instant now = clock.instant();
        if (at.isBefore(now.minus(WINDOW)) || at.isAfter(now.plus(WINDOW))) {
            throw new MqHttpException(408, "TimeExpired", "The http request you sent is expired: its Date " + date
                    + " is more than " + WINDOW.toMinutes() + " minutes from the server's time " + now + ".");
        }
    }

    private static String header(Map<String, String> headers, String lowerName) {
        for (Map.Entry<String, String> entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(lowerName)) {
                return entry.getValue();
            }
        }
        return null;
    }
}
