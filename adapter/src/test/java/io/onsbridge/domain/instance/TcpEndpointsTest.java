package io.onsbridge.domain.instance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TcpEndpointsTest {
    @Test
    void anInstanceGetsOnsFormFollowedByThePlainList() {
        assertThat(new TcpEndpoints("127.0.0.1:9876").of("MQ_INST_000000000000_AbCd1234", true))
                .isEqualTo("http://MQ_INST_000000000000_AbCd1234.127.0.0.1:9876;127.0.0.1:9876");
        assertThat(new TcpEndpoints("ns1.example.com:9876;ns2.example.com:9876").of("MQ_INST_1_x", true))
                .isEqualTo("http://MQ_INST_1_x.ns1.example.com:9876;ns1.example.com:9876;ns2.example.com:9876");
    }

    @Test
    void theDefaultInstanceAndIdsTheClientsWouldNotReadGetThePlainList() {
        TcpEndpoints endpoints = new TcpEndpoints("127.0.0.1:9876");
        assertThat(endpoints.of("MQ_INST_000000000000_DEFAULT", false)).isEqualTo("127.0.0.1:9876");
        assertThat(endpoints.of("legacy-namespace", true)).isEqualTo("127.0.0.1:9876");
        assertThat(endpoints.of("MQ_INST_a-b_c", true)).isEqualTo("127.0.0.1:9876");
    }
}
