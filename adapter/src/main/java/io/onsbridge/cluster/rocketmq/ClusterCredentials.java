package io.onsbridge.cluster.rocketmq;

import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.remoting.RPCHook;

/**
 * The account the bridge uses on an ACL-enabled cluster, and the one way to sign with it: RocketMQ's own
 * client hook, which every admin client, producer and consumer of the bridge is given. A cluster
 * without ACL is called unsigned ({@link #NONE}).
 */
public final class ClusterCredentials {
    public static final ClusterCredentials NONE = new ClusterCredentials(null, null);

    private final String accessKey;
    private final String secretKey;

    private ClusterCredentials(String accessKey, String secretKey) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /** Both or neither: a key without its secret is a configuration mistake, reported at start. */
    public static ClusterCredentials of(String accessKey, String secretKey) {
        boolean hasKey = accessKey != null && !accessKey.isBlank();
        boolean hasSecret = secretKey != null && !secretKey.isBlank();
        if (hasKey != hasSecret) {
            throw new IllegalArgumentException("set both ONS_BRIDGE_CLUSTER_ACCESS_KEY and ONS_BRIDGE_CLUSTER_SECRET_KEY, or neither");
        }
        return hasKey ? new ClusterCredentials(accessKey, secretKey) : NONE;
    }

    public boolean present() {
        return accessKey != null;
    }

    /**
     * A hook signing each request with this account ({@code AclClientRPCHook}); {@code null}, which RocketMQ's
     * clients take as "unsigned", without credentials. Pass it to every client made for the cluster.
     */
    public RPCHook rpcHook() {
        return present() ? new AclClientRPCHook(new SessionCredentials(accessKey, secretKey)) : null;
    }

    @Override
    public String toString() {
        return present() ? "cluster account " + accessKey : "no cluster account";
    }
}
