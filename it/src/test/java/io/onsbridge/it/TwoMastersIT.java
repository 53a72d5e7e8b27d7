package io.onsbridge.it;

import io.onsbridge.embedded.EmbeddedCluster;
import java.nio.file.Path;

/** The two-master checks on an in-process cluster (EmbeddedCluster with two masters). */
class TwoMastersIT extends TwoMastersChecks {
    @Override
    TwoMasters startCluster(Path data) throws Exception {
        EmbeddedCluster cluster = EmbeddedCluster.builder(data).namesrvPort(0).brokerPort(0).masters(2).start();
        return new TwoMasters(cluster.namesrvAddr(), cluster.brokerAddrs(), cluster);
    }
}
