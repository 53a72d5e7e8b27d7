package io.onsbridge.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.SocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** MQTT devices as ApsaraMQ for MQTT's documentation makes them: Eclipse Paho, Signature mode. */
final class Devices {
    private Devices() {
    }

    /** What one device received, by topic, in order; and whether its connection was lost. */
    static final class Received implements MqttCallback {
        final List<String> topics = new CopyOnWriteArrayList<>();
        final Map<String, List<String>> byTopic = new ConcurrentHashMap<>();
        volatile Throwable lost;

        @Override
        public void connectionLost(Throwable cause) {
            lost = cause;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            topics.add(topic);
            byTopic.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(new String(message.getPayload(), StandardCharsets.UTF_8));
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }

        List<String> payloads(String topic) {
            return byTopic.getOrDefault(topic, List.of());
        }
    }

    /** ApsaraMQ's Signature-mode password: Base64(HMAC-SHA1(key = AccessKeySecret, data = ClientId)). */
    static String password(String secret, String clientId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return java.util.Base64.getEncoder().encodeToString(mac.doFinal(clientId.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static MqttConnectOptions options(String accessKeyId, String secret, String instanceId, String clientId, boolean cleanSession) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName("Signature|" + accessKeyId + "|" + instanceId);
        options.setPassword(password(secret, clientId).toCharArray());
        options.setCleanSession(cleanSession);
        options.setKeepAliveInterval(60);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        return options;
    }

    static MqttClient client(String uri, String clientId, Received received) throws MqttException {
        MqttClient client = new MqttClient(uri, clientId, new MemoryPersistence());
        client.setCallback(received);
        client.setTimeToWait(10_000);
        return client;
    }

    /** A socket factory that keeps its sockets, so that a test can drop a device's connection without DISCONNECT. */
    static final class KeptSockets extends SocketFactory {
        final List<Socket> sockets = new CopyOnWriteArrayList<>();

        @Override
        public Socket createSocket() {
            Socket socket = new Socket();
            sockets.add(socket);
            return socket;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return keep(new Socket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
            return keep(new Socket(host, port, local, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return keep(new Socket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
            return keep(new Socket(host, port, local, localPort));
        }

        private Socket keep(Socket socket) {
            sockets.add(socket);
            return socket;
        }

        /** Closes the sockets under the client: with {@code reset}, as a device whose network broke (RST), else a bare FIN. */
        void dropAll(boolean reset) throws IOException {
            for (Socket socket : sockets) {
                if (reset) {
                    socket.setSoLinger(true, 0);
                }
                socket.close();
            }
        }
    }
}
