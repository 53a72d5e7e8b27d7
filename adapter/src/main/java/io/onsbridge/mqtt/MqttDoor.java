package io.onsbridge.mqtt;

import io.onsbridge.domain.OnsException;
import io.onsbridge.domain.device.DeviceLink;
import io.onsbridge.domain.device.DeviceSession;
import io.onsbridge.domain.device.DeviceSessions;
import io.onsbridge.domain.instance.Instances;
import io.onsbridge.domain.mqtt.DeviceEvents;
import io.onsbridge.domain.mqtt.DeviceEvents.ActionInfo;
import io.onsbridge.domain.mqtt.MqttGroupLookup;
import io.onsbridge.mqttgateway.MqttBackend;
import io.onsbridge.protocol.auth.CredentialStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The MQTT front door's backend: checks a device's identity as ApsaraMQ for MQTT does (client id, Signature
 * username and password, instance, group) and hands the session to {@link DeviceSessions}. Every refusal is
 * recorded through {@link DeviceEvents} with its ActionInfo.
 */
public final class MqttDoor implements MqttBackend {
    private final CredentialStore credentials;
    private final Instances instances;
    private final MqttGroupLookup groups;
    private final DeviceSessions sessions;

    public MqttDoor(CredentialStore credentials, Instances instances, MqttGroupLookup groups, DeviceSessions sessions) {
        this.credentials = credentials;
        this.instances = instances;
        this.groups = groups;
        this.sessions = sessions;
    }

    /** Keeps what every CONNECT is checked against read (see {@link DeviceSessions#keepFresh}). */
    public void refreshLookups() {
        groups.refresh();
        instances.refreshRecent();
    }

    @Override
    public Session open(Connect connect, Device device) throws Refused {
        DeviceIdentity.Username username = DeviceIdentity.Username.parse(connect.username());
        DeviceEvents.Connection connection = new DeviceEvents.Connection(username == null ? "" : username.instanceId(),
                connect.clientId(), connect.channelId(), connect.remoteAddress());
        DeviceIdentity identity = DeviceIdentity.parse(connect.clientId());
        if (identity == null) {
            sessions.refused(connection, ActionInfo.INVALID_PARAM);
            throw new Refused(Refusal.BAD_CLIENT_ID, "client id " + connect.clientId() + " is not GID_xxx@@@deviceId (at most 64 characters)");
        }
        authenticate(connect, username, identity, connection);
        DeviceSession session = sessions.open(connection, connect.cleanSession(), link(device));
        return new DoorSession(session);
    }

    /**
     * A clean session of an instance whose topics this bridge follows, while the instances' and groups' tables are held:
     * {@link #open} reads nothing from the cluster (the tables are kept read while the instance is followed,
     * {@link DeviceSessions#keepFresh}; its writes are made behind the CONNACK). A persistent session, the first device
     * of an instance, or a CONNECT while a table must be read again (a slow or unreachable name server) may wait.
     */
    @Override
    public boolean opensAtOnce(Connect connect) {
        DeviceIdentity.Username username = DeviceIdentity.Username.parse(connect.username());
        return connect.cleanSession() && username != null && sessions.follows(username.instanceId())
                && instances.recentlyHeld() && groups.heldNow();
    }

    private void authenticate(Connect connect, DeviceIdentity.Username username, DeviceIdentity identity,
                              DeviceEvents.Connection connection) throws Refused {
        if (username == null || !DeviceIdentity.SIGNATURE_MODE.equals(username.mode())) {
            refuse(connection, "the username is not Signature|AccessKeyId|InstanceId (only Signature mode is served)");
        }
        Optional<String> secret = credentials.secretOf(username.accessKeyId());
        if (secret.isEmpty()) {
            refuse(connection, "unknown AccessKeyId " + username.accessKeyId());
        }
        if (!DeviceIdentity.passwordMatches(secret.get(), connect.clientId(), connect.password())) {
            refuse(connection, "the password is not Base64(HMAC-SHA1(AccessKeySecret, ClientId)) of AccessKeyId " + username.accessKeyId());
        }
        if (!instanceExists(username.instanceId())) {
            refuse(connection, "instance " + username.instanceId() + " does not exist");
        }
        if (!groups.exists(username.instanceId(), identity.groupId())) {
            refuse(connection, "group " + identity.groupId() + " does not exist in instance " + username.instanceId());
        }
    }

    private boolean instanceExists(String instanceId) {
        try {
            Instances.checkId("InstanceId", instanceId);
        } catch (OnsException malformed) {
            return false; // no instance has such an id
        }
        // As the cluster held it at most 900 ms ago: a thousand devices connecting at once ask no cluster each.
        return instances.recentlyExists(instanceId);
    }

    private void refuse(DeviceEvents.Connection connection, String why) throws Refused {
        sessions.refused(connection, ActionInfo.NOT_AUTHORIZED);
        throw new Refused(Refusal.NOT_AUTHORIZED, why);
    }

    private static DeviceLink link(Device device) {
        return new DeviceLink() {
            @Override
            public CompletableFuture<Void> deliver(String topic, int qos, byte[] payload) {
                return device.deliver(new Message(topic, qos, payload));
            }

            @Override
            public boolean hasRoom() {
                return device.hasRoom();
            }

            @Override
            public void takenOver() {
                device.close(CloseReason.TAKEN_OVER);
            }
        };
    }

    /** ActionInfo of mqtt.md's table for how a connection ended. */
    static String actionInfo(CloseReason reason) {
        return switch (reason) {
            case DISCONNECTED -> ActionInfo.DISCONNECTED_BY_CLIENT;
            case CLOSED_BY_CLIENT -> ActionInfo.CLOSED_BY_CLIENT;
            case NO_HEART -> ActionInfo.NO_HEART;
            case SOCKET_ERROR -> ActionInfo.SOCKET_IO_EXCEPTION;
            case TAKEN_OVER -> ActionInfo.CLIENT_ID_CONFLICT;
            case PUBLISH_REFUSED -> ActionInfo.RESOURCE_AUTH_FAILED;
            case PROTOCOL_ERROR -> ActionInfo.INVALID_PARAM;
            case BACKEND_FAILED, SHUTDOWN -> ActionInfo.SERVER_SHUTDOWN;
        };
    }

    /** One open session, as the gateway calls it. */
    private final class DoorSession implements Session {
        private final DeviceSession session;

        DoorSession(DeviceSession session) {
            this.session = session;
        }

        @Override
        public boolean sessionPresent() {
            return session.present();
        }

        @Override
        public CompletableFuture<Void> publish(Message message) {
            CompletableFuture<Void> stored = new CompletableFuture<>();
            sessions.publish(session, message.topic(), message.qos(), message.payload()).whenComplete((ok, failure) -> {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause == null) {
                    stored.complete(null);
                } else if (cause instanceof DeviceSessions.Refused refused) {
                    stored.completeExceptionally(new PublishRefused(refused.getMessage()));
                } else {
                    stored.completeExceptionally(cause);
                }
            });
            return stored;
        }

        @Override
        public List<Integer> subscribe(List<Subscription> subscriptions) {
            return sessions.subscribe(session, subscriptions.stream().map(s -> new DeviceSessions.Requested(s.filter(), s.qos())).toList());
        }

        @Override
        public void unsubscribe(List<String> filters) {
            sessions.unsubscribe(session, filters);
        }

        @Override
        public void touched() {
            sessions.touched(session);
        }

        @Override
        public void closed(CloseReason reason) {
            sessions.closed(session, actionInfo(reason), reason == CloseReason.DISCONNECTED);
        }
    }
}
