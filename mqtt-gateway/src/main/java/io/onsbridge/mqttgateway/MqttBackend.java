package io.onsbridge.mqttgateway;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the gateway needs from the rest of the bridge: who may connect, where a publish goes, what a device
 * receives. The gateway speaks MQTT (packets, packet ids, keep-alive, will, in-flight windows); the backend
 * knows identities, topics and the store. Every method but {@link Session#publish}, {@link Session#touched} and
 * {@link #opensAtOnce} may block on the cluster: the gateway calls them on its worker threads, never on an event loop
 * ({@link #open} only where {@link #opensAtOnce} says it does not block).
 */
public interface MqttBackend {
    /** A CONNECT packet: the client's identity and session wish, and the connection the gateway gave it. */
    record Connect(String clientId, String username, byte[] password, boolean cleanSession, int protocolVersion,
                   int keepAliveSeconds, String channelId, String remoteAddress, Message will) {
    }

    /** An application message: the MQTT topic name, QoS 0 or 1 (2 is served as 1), the payload. */
    record Message(String topic, int qos, byte[] payload) {
    }

    /** One topic filter of a SUBSCRIBE and the QoS asked for. */
    record Subscription(String filter, int qos) {
    }

    /** Why a CONNECT is refused; the gateway answers each with MQTT 3.1.1's or 5's code. */
    enum Refusal {
        /** Unknown key, wrong password, unknown instance or group (3.1.1: 0x05, 5: 0x87). */
        NOT_AUTHORIZED,
        /** A client id that is not {@code GID_xxx@@@deviceId} (3.1.1: 0x02, 5: 0x85). */
        BAD_CLIENT_ID,
        /** The cluster cannot be reached (3.1.1: 0x03, 5: 0x88). */
        SERVER_UNAVAILABLE
    }

    /** A refused CONNECT; the backend has already recorded it. */
    final class Refused extends Exception {
        private final Refusal refusal;

        public Refused(Refusal refusal, String message) {
            super(message, null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    /** A PUBLISH the backend will not store (e.g. its parent topic does not exist); the connection's answer depends on the version. */
    final class PublishRefused extends RuntimeException {
        public PublishRefused(String message) {
            super(message, null, false, false);
        }
    }

    /** How a connection ended. */
    enum CloseReason {
        /** The device sent DISCONNECT. */
        DISCONNECTED,
        /** The device closed the TCP connection without DISCONNECT. */
        CLOSED_BY_CLIENT,
        /** Nothing heard for 1.5 keep-alive periods. */
        NO_HEART,
        /** An I/O error on the socket (reset, broken pipe). */
        SOCKET_ERROR,
        /** A newer connection with the same client id (on any bridge) took the session over. */
        TAKEN_OVER,
        /** The device published where it may not (MQTT 3.1.1 has no negative PUBACK: the connection is closed). */
        PUBLISH_REFUSED,
        /** A malformed or out-of-order packet. */
        PROTOCOL_ERROR,
        /** The backend failed on the device's request (e.g. the cluster could not store a QoS 1 message under 3.1.1). */
        BACKEND_FAILED,
        /** The bridge is stopping. */
        SHUTDOWN
    }

    /** The gateway's side of one connected device: what the backend uses to reach it. */
    interface Device {
        /**
         * Sends a message; completes when the device PUBACKed it (QoS 1) or it was written (QoS 0); fails when
         * the connection closes first, or at once when the device's queue is full (the caller keeps its position).
         */
        CompletableFuture<Void> deliver(Message message);

        /** Whether a {@link #deliver} now would be sent at once rather than queued: the in-flight window has room. */
        boolean hasRoom();

        /** Closes the connection from the server's side (e.g. {@link CloseReason#TAKEN_OVER}); no will is published. */
        void close(CloseReason reason);
    }

    /** One open session; the gateway calls it until {@link #closed}. */
    interface Session {
        /** Whether a persistent session was resumed (CONNACK's session-present flag). */
        boolean sessionPresent();

        /**
         * Stores the message; completes once the broker stored it; fails with {@link PublishRefused} when it may not be
         * stored. Called on the connection's event loop: must not block (it starts the store; several of a connection's
         * publishes are stored at once, possibly in another order; the gateway answers them in order).
         */
        CompletableFuture<Void> publish(Message message);

        /** The QoS granted for each filter, in order (0 or 1; 0x80 for a refused filter). */
        List<Integer> subscribe(List<Subscription> subscriptions);

        void unsubscribe(List<String> filters);

        /** Any packet arrived from the device; called on the event loop: must not block. */
        void touched();

        /** The connection ended (called once); for a close without DISCONNECT the gateway has published the will first. */
        void closed(CloseReason reason);
    }

    /** Authenticates the CONNECT and opens (or resumes) its session; the device is reached through {@code device}. */
    Session open(Connect connect, Device device) throws Refused;

    /**
     * Whether {@link #open} of this CONNECT answers without waiting for the cluster (e.g. a clean session of an instance
     * whose tables are kept read): the gateway then calls it on the connection's event loop and saves the hop to a
     * worker and back. When in doubt, false. Called on the event loop: must not block.
     */
    default boolean opensAtOnce(Connect connect) {
        return false;
    }
}
