package io.onsbridge.cluster.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.rocketmq.common.MixAll;
import org.apache.rocketmq.remoting.exception.RemotingConnectException;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.junit.jupiter.api.Test;

class ClusterTopologyTest {
    private final AtomicLong now = new AtomicLong(0);
    private final AtomicInteger fetches = new AtomicInteger();
    private final ClusterTopology topology = new ClusterTopology(now::get);

    private ClusterInfo fetch() {
        fetches.incrementAndGet();
        ClusterInfo info = new ClusterInfo();
        info.setBrokerAddrTable(new HashMap<>(Map.of("broker-a",
                new BrokerData("DefaultCluster", "broker-a", new HashMap<>(Map.of(MixAll.MASTER_ID, "127.0.0.1:10911"))))));
        return info;
    }

    private ClusterInfo fetchNoBroker() {
        fetches.incrementAndGet();
        ClusterInfo info = new ClusterInfo();
        info.setBrokerAddrTable(new HashMap<>());
        return info;
    }

    @Test
    void aTopologyServesForOneSecondThenIsFetchedAgain() throws Exception {
        ClusterInfo first = topology.get(this::fetch);
        now.addAndGet(ClusterTopology.FRESH_NANOS);
        assertThat(topology.get(this::fetch)).isSameAs(first);
        now.addAndGet(1);
        assertThat(topology.get(this::fetch)).isNotSameAs(first);
        assertThat(fetches).hasValue(2);
    }

    @Test
    void anAnswerWithoutAMasterIsNotKept() throws Exception {
        assertThat(ClusterAdmin.masters(topology.get(this::fetchNoBroker))).isEmpty();
        assertThat(ClusterAdmin.masters(topology.get(this::fetch))).containsExactly("127.0.0.1:10911");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void forgottenTopologyIsFetchedAtOnce() throws Exception {
        topology.get(this::fetch);
        topology.forget();
        topology.get(this::fetch);
        assertThat(fetches).hasValue(2);
    }

    @Test
    void aFailureIsSharedForOneSecondThenTheNameServerIsAskedAgain() throws Exception {
        RemotingConnectException down = new RemotingConnectException("127.0.0.1:9876");
        assertThatThrownBy(() -> topology.get(() -> {
            fetches.incrementAndGet();
            throw down;
        })).isSameAs(down);
        assertThatThrownBy(() -> topology.get(this::fetch)).isSameAs(down);
        assertThat(fetches).hasValue(1);
        now.addAndGet(ClusterTopology.FRESH_NANOS + 1);
        assertThat(topology.get(this::fetch)).isNotNull();
        assertThat(fetches).hasValue(2);
    }
}
