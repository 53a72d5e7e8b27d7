package io.onsbridge.protocol;

import io.onsbridge.domain.Params;
import io.onsbridge.domain.WireObject;

/** One ONS action: reads its parameters from the request and returns the fields of its answer. */
@FunctionalInterface
public interface OnsAction {
    WireObject handle(Params params);
}
