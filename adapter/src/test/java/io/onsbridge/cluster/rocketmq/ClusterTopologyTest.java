package io.onsbridge.cluster.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.rocketmq.remoting.exception.RemotingConnectException;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.junit.jupiter.api.Test;

class ClusterTopologyTest {
    private final AtomicLong now = new AtomicLong(0);
    private final AtomicInteger fetches = new AtomicInteger();
    private final ClusterTopology topology = new ClusterTopology(now::get);

    private ClusterInfo fetch() {
        fetches.incrementAndGet();
        return new ClusterInfo();
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
