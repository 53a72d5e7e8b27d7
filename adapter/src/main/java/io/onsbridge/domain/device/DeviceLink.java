package io.onsbridge.domain.device;

import java.util.concurrent.CompletableFuture;

/** How the domain reaches one connected device: the MQTT front door implements it. */
public interface DeviceLink {
    /** Sends a message; completes once the device has it (its PUBACK for QoS 1), fails when it cannot get it now. */
    CompletableFuture<Void> deliver(String topic, int qos, byte[] payload);

    /** Whether a message handed over now would go out at once: a reader of a backlog waits while it would not. */
    boolean hasRoom();

    /** A newer connection with the same client id (on this bridge or another) took the session over: close this one. */
    void takenOver();
}
