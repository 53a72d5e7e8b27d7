package io.onsbridge.actions;

import io.onsbridge.backend.ClusterException;
import io.onsbridge.protocol.OnsAction;
import io.onsbridge.protocol.OnsErrors;
import io.onsbridge.protocol.OnsException;

/**
 * The one translation from cluster failures to ONS errors, applied around every action. Domain code
 * that expects a particular answer (a topic that does not exist, say) catches it first and throws its
 * own documented error; whatever reaches this point is an outage (503), a refusal of the cluster's ACL
 * (403), or a failure of ours (500).
 */
final class BackendErrors {
    private BackendErrors() {
    }

    static OnsAction guarded(OnsAction action) {
        return request -> {
            try {
                return action.handle(request);
            } catch (ClusterException e) {
                throw translate(e);
            }
        };
    }

    static OnsException translate(ClusterException e) {
        if (e.kind() == ClusterException.Kind.UNAVAILABLE) {
            return OnsErrors.clusterUnavailable(e.getMessage(), e);
        }
        if (e.kind() == ClusterException.Kind.FORBIDDEN) {
            return OnsErrors.clusterForbidden(e.getMessage());
        }
        return OnsErrors.internal("the cluster refused: " + e.getMessage(), e);
    }
}
