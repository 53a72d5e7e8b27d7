package io.onsbridge.mqhttp;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.onsbridge.domain.OnsError;
import io.onsbridge.domain.OnsException;
import io.onsbridge.domain.messaging.AckFailure;
import io.onsbridge.domain.messaging.Delivery;
import io.onsbridge.domain.messaging.Messaging;
import io.onsbridge.protocol.access.Authorizer;
import io.onsbridge.protocol.auth.CredentialStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQ HTTP protocol (the MQ HTTP SDKs, {@code x-mq-version: 2015-06-06}; docs/mqhttp.md): publish
 * ({@code POST}), consume ({@code GET}) and ack ({@code DELETE}) on {@code /topics/{topic}/messages}, signed
 * with the keys of the ONS API. Every answer that is not a success is an XML {@code <Error>}; a mistake of the
 * client is never a 5xx.
 */
public final class MqHttpDoor {
    public static final String VERSION_HEADER = "x-mq-version";
    private static final Logger log = LoggerFactory.getLogger(MqHttpDoor.class);
    private static final String TOPICS = "/topics/";
    private static final String MESSAGES = "/messages";
    static final int MAX_MESSAGES = 16;
    static final int MAX_WAIT_SECONDS = 30;

    private final MqAuthenticator authenticator;
    private final Authorizer authorizer;
    private final Messaging messaging;
    private final String hostId;

    /**
     * @param authorizer the access policies: {@code mq:PUB} on the topic to publish, {@code mq:SUB} on the topic and
     *                   the group to consume or ack (docs/access.md)
     * @param hostId     what every error names as the host that answered
     */
    public MqHttpDoor(CredentialStore credentials, Authorizer authorizer, Clock clock, Messaging messaging, String hostId) {
        this.authorizer = authorizer;
        this.authenticator = new MqAuthenticator(credentials, clock);
        this.messaging = messaging;
        this.hostId = hostId;
    }

    /** Whether a request is this protocol's: it names the protocol's version, or a topic's messages. */
    public static boolean claims(String path, String versionHeader) {
        return versionHeader != null || path.startsWith(TOPICS);
    }

    /** Serves a request; may block on the cluster before it returns (call it on a worker), then answers later. */
    public CompletableFuture<MqHttpAnswer> serve(MqHttpRequest request) {
        try {
            return route(request).exceptionally(e -> failure(request.requestId(), e));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(request.requestId(), e));
        }
    }

    /** An answer for a request that is refused before it is read whole (too large). */
    public MqHttpAnswer refuse(String requestId, int status, String code, String message) {
        return error(requestId, status, code, message);
    }

    private CompletableFuture<MqHttpAnswer> route(MqHttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.target(), StandardCharsets.UTF_8, true, 64, true);
        String path = uri.path();
        if (!path.startsWith(TOPICS) || !path.endsWith(MESSAGES) || path.length() <= TOPICS.length() + MESSAGES.length()) {
            throw new MqHttpException(400, "InvalidRequestURL", "Http request URL format invalid: the protocol serves"
                    + " /topics/{topic}/messages, not " + abbreviate(path) + ".");
        }
        String topic = path.substring(TOPICS.length(), path.length() - MESSAGES.length());
        String accessKeyId = authenticator.authenticate(request.method(), request.headers(), request.target());
        Query query = new Query(uri.parameters());
        String instanceId = query.optional("ns");
        String instance = instanceId == null || instanceId.isEmpty() ? messaging.defaultInstanceId() : instanceId;
        String trans = query.optional("trans");
        boolean producing = request.method().equals("POST") || isTransaction(trans);
        authorize(accessKeyId, producing ? "mq:PUB" : "mq:SUB", instance, topic);
        String group = query.optional("consumer");
        if (!request.method().equals("POST") && group != null && !group.isEmpty()) {
            authorize(accessKeyId, "mq:SUB", instance, group);
        }
        return switch (request.method()) {
            case "POST" -> publish(request, instance, topic);
            case "GET" -> consume(request.requestId(), query, instance, topic);
            case "DELETE" -> ack(request, query, instance, topic);
            default -> throw new MqHttpException(400, "InvalidRequestURL", "HTTP method " + abbreviate(request.method())
                    + " is not served: POST publishes, GET consumes, DELETE acks.");
        };
    }

    /** A transactional producer's call: its half messages' checks ({@code pop}) and decisions. */
    private static boolean isTransaction(String trans) {
        return "pop".equals(trans) || "commit".equals(trans) || "rollback".equals(trans);
    }

    private CompletableFuture<MqHttpAnswer> publish(MqHttpRequest request, String instance, String topic) {
        checkDigest(request);
        MqXml.Publish message = MqXml.publish(request.body());
        byte[] body = message.body().getBytes(StandardCharsets.UTF_8);
        if (body.length > Messaging.MAX_BODY_BYTES) {
            throw MqHttpException.invalidArgument("The value of MessageBody should between 1 and " + Messaging.MAX_BODY_BYTES + " bytes.");
        }
        if (message.properties().containsKey(Messaging.TRANS_CHECK)) {
            Messaging.Published half = messaging.publishHalf(instance, topic, message.tag(), body, message.properties());
            return CompletableFuture.completedFuture(new MqHttpAnswer(201, MqXml.published(half.messageId(), MqDigest.md5Hex(body),
                    half.receiptHandle()), request.requestId()));
        }
        String md5 = MqDigest.md5Hex(body);
        return messaging.publish(instance, topic, message.tag(), body, message.properties())
                .thenApply(messageId -> new MqHttpAnswer(201, MqXml.published(messageId, md5, null), request.requestId()));
    }

    private CompletableFuture<MqHttpAnswer> consume(String requestId, Query query, String instance, String topic) {
        String group = query.required("consumer");
        int max = query.integer("numOfMessages", 1, MAX_MESSAGES, 1);
        int waitSeconds = query.integer("waitseconds", 0, MAX_WAIT_SECONDS, 0);
        String trans = query.optional("trans");
        boolean ordered = "order".equals(trans);
        boolean halves = "pop".equals(trans);
        if (!ordered && !halves && trans != null && !trans.isEmpty()) {
            throw refused(trans, "a consume names trans=order (ordered) or trans=pop (half messages)");
        }
        Messaging.Subscription subscription = messaging.subscription(instance, topic, group);
        CompletableFuture<List<Delivery>> consumed = halves
                ? messaging.consumeHalves(subscription, max, Duration.ofSeconds(waitSeconds))
                : messaging.consume(subscription, query.optional("tag"), max, Duration.ofSeconds(waitSeconds), ordered);
        return consumed.thenApply(deliveries -> deliveries.isEmpty()
                ? error(requestId, 404, "MessageNotExist", "Message not exist.")
                : new MqHttpAnswer(200, MqXml.messages(deliveries), requestId));
    }

    private CompletableFuture<MqHttpAnswer> ack(MqHttpRequest request, Query query, String instance, String topic) {
        String group = query.required("consumer");
        String trans = query.optional("trans");
        if (trans != null && !trans.isEmpty() && !"commit".equals(trans) && !"rollback".equals(trans)) {
            throw refused(trans, "an ack names trans=commit or trans=rollback (half messages)");
        }
        List<String> handles = MqXml.receiptHandles(request.body());
        Messaging.Subscription subscription = messaging.subscription(instance, topic, group);
        CompletableFuture<Map<String, AckFailure>> outcome = trans == null || trans.isEmpty()
                ? messaging.ack(subscription, handles)
                : messaging.decide(subscription, handles, "commit".equals(trans));
        return outcome.thenApply(failures -> {
            if (failures.isEmpty()) {
                return new MqHttpAnswer(204, new byte[0], request.requestId());
            }
            Map<String, String[]> errors = new LinkedHashMap<>();
            failures.forEach((handle, why) -> errors.put(handle, why == AckFailure.EXPIRED
                    ? new String[] {"MessageNotExist", "The receipt handle has expired: the message was consumed again or acked already."}
                    : new String[] {"ReceiptHandleError", "The receipt handle you provide is not valid."}));
            return new MqHttpAnswer(404, MqXml.ackErrors(errors), request.requestId());
        });
    }

    private void authorize(String accessKeyId, String ramAction, String instance, String name) {
        String resource = authorizer.resources().inInstance(instance, name);
        if (!authorizer.allows(accessKeyId, ramAction, resource)) {
            throw new MqHttpException(403, "AccessDenied", "The OwnerId that your Access Key Id associated to is forbidden for this"
                    + " operation: the access policies of " + accessKeyId + " do not allow " + ramAction + " on " + resource + ".");
        }
    }

    private static MqHttpException refused(String trans, String why) {
        return MqHttpException.invalidArgument("trans=" + abbreviate(trans) + " is not served: " + why + ".");
    }

    /** Node's SDK sends Content-MD5 as Base64 of the hex MD5; the raw digest's Base64 is accepted as well. */
    private static void checkDigest(MqHttpRequest request) {
        String declared = request.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("content-md5"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        if (declared == null || declared.isEmpty()) {
            return;
        }
        String hex = MqDigest.md5Hex(request.body());
        java.util.Base64.Encoder base64 = java.util.Base64.getEncoder();
        if (!declared.equals(base64.encodeToString(hex.getBytes(StandardCharsets.US_ASCII)))
                && !declared.equals(base64.encodeToString(hex.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII)))
                && !declared.equals(base64.encodeToString(java.util.HexFormat.of().parseHex(hex)))) {
            throw new MqHttpException(400, "InvalidDigest", "The Content-MD5 you specified is invalid.");
        }
    }

    private MqHttpAnswer failure(String requestId, Throwable failure) {
        Throwable e = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (e instanceof MqHttpException mq) {
            return error(requestId, mq.status(), mq.code(), mq.getMessage());
        }
        if (e instanceof OnsException ons) {
            return onsError(requestId, ons);
        }
        log.error("{} failed unexpectedly", requestId, e);
        return error(requestId, 500, "InternalError", "An unexpected failure, logged under this RequestId.");
    }

    /** The domain's ONS errors in the protocol's codes: a client's mistake stays a 4xx. */
    private MqHttpAnswer onsError(String requestId, OnsException e) {
        OnsError error = e.error();
        return switch (error) {
            case TOPIC_NOT_FOUND -> error(requestId, 404, "TopicNotExist", e.getMessage());
            case GROUP_NOT_FOUND -> error(requestId, 404, "SubscriptionNotExist", e.getMessage());
            case INSTANCE_NOT_FOUND -> error(requestId, 404, "InstanceNotExist", e.getMessage());
            case SERVICE_UNAVAILABLE -> error(requestId, 503, "ServiceUnavailable", e.getMessage());
            default -> {
                if (e.isClientError()) {
                    yield error(requestId, 400, "InvalidArgument", e.getMessage());
                }
                log.warn("{} failed: {}", requestId, e.getMessage(), e.getCause());
                yield error(requestId, e.httpStatus() >= 500 ? e.httpStatus() : 500, "InternalError", e.getMessage());
            }
        };
    }

    private MqHttpAnswer error(String requestId, int status, String code, String message) {
        return new MqHttpAnswer(status, MqXml.error(code, message, requestId, hostId), requestId);
    }

    static String abbreviate(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "...";
    }

    /** The query's parameters, checked as the protocol documents them. */
    private record Query(Map<String, List<String>> parameters) {
        String optional(String name) {
            List<String> values = parameters.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        String required(String name) {
            String value = optional(name);
            if (value == null || value.isEmpty()) {
                throw MqHttpException.invalidArgument("The query parameter " + name + " is required.");
            }
            return value;
        }

        int integer(String name, int low, int high, int absent) {
            String value = optional(name);
            if (value == null || value.isEmpty()) {
                return absent;
            }
            try {
                int number = Integer.parseInt(value.trim());
                if (number >= low && number <= high) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // answered below, with the range
                log.debug("{}={} is not a number", name, value);
            }
            throw MqHttpException.invalidArgument("The value of " + name + " should between " + low + " and " + high
                    + ", not \"" + abbreviate(value) + "\".");
        }
    }
}
