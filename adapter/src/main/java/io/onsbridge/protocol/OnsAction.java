package io.onsbridge.protocol;

import io.onsbridge.protocol.render.WireObject;

/** One ONS action: reads its parameters from the request and returns the fields of its answer. */
@FunctionalInterface
public interface OnsAction {
    WireObject handle(OnsRequest request);
}
