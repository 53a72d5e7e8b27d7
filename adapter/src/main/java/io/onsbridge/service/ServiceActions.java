package io.onsbridge.service;

import io.onsbridge.protocol.OnsRequest;
import io.onsbridge.protocol.render.WireObject;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * OpenOnsService (service.md). A self-hosted cluster has nothing to activate: the call succeeds, and
 * repeated calls by one AccessKey return the same order ID, as activating an active service would.
 */
public final class ServiceActions {

    public WireObject openOnsService(OnsRequest request) {
        String accessKeyId = request.params().getOrDefault("AccessKeyId", "");
        UUID stable = UUID.nameUUIDFromBytes(("OpenOnsService:" + accessKeyId).getBytes(StandardCharsets.UTF_8));
        String orderId = Long.toUnsignedString(stable.getMostSignificantBits() & Long.MAX_VALUE);
        return WireObject.of().with("OrderId", orderId);
    }
}
