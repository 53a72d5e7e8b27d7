package io.onsbridge.domain.service;

import io.onsbridge.domain.Params;
import io.onsbridge.domain.WireObject;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * OpenOnsService (service.md). A self-hosted cluster has nothing to activate: the call succeeds, and
 * repeated calls by one AccessKey return the same order ID, as activating an active service would.
 */
public final class ServiceActions {

    public WireObject openOnsService(Params request) {
        String accessKeyId = request.all().getOrDefault("AccessKeyId", "");
        UUID stable = UUID.nameUUIDFromBytes(("OpenOnsService:" + accessKeyId).getBytes(StandardCharsets.UTF_8));
        String orderId = Long.toUnsignedString(stable.getMostSignificantBits() & Long.MAX_VALUE);
        return WireObject.of().with("OrderId", orderId);
    }
}
