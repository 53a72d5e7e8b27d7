package io.onsbridge.it;

import java.nio.file.Path;

/**
 * External cluster mode end to end: a cluster started apart from the bridge, by RocketMQ's own startup
 * classes in child JVMs (one name server, two masters), and a bridge given only its name server.
 */
class ExternalClusterIT extends TwoMastersChecks {
    @Override
    TwoMasters startCluster(Path data) throws Exception {
        ChildJvmCluster cluster = ChildJvmCluster.builder(data).masters(2).start();
        return new TwoMasters(cluster.namesrvAddr(), cluster.brokerAddrs(), cluster);
    }
}
