package io.onsbridge.domain.consumer;

import static io.onsbridge.cluster.ClusterConsumers.MessageModel.BROADCASTING;
import static io.onsbridge.cluster.ClusterConsumers.MessageModel.CLUSTERING;
import static org.assertj.core.api.Assertions.assertThat;

import io.onsbridge.cluster.ClusterConsumers.ClientReport;
import io.onsbridge.cluster.ClusterConsumers.Subscription;
import io.onsbridge.cluster.Queue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ConsumerStatusTest {
    private static final String T1 = "X%orders";
    private static final String T2 = "X%payments";
    private static final String RETRY = "%RETRY%X%GID_a";

    private static Queue q(String topic, int id) {
        return new Queue(topic, "broker-a", id);
    }

    private static Set<Queue> queues(String topic, int count) {
        return IntStream.range(0, count).mapToObj(i -> q(topic, i)).collect(Collectors.toSet());
    }

    private static Subscription sub(String topic, String expression) {
        return new Subscription(topic, expression, 1L, Set.of());
    }

    private static ClientReport report(List<Subscription> subscriptions, Queue... held) {
        Map<Queue, Long> heldQueues = new LinkedHashMap<>();
        Arrays.stream(held).forEach(queue -> heldQueues.put(queue, 1_000L));
        return new ClientReport(subscriptions, heldQueues, Map.of(), 20, 0L, null);
    }

    @Nested
    class RebalanceOk {
        private final List<String> routesAsked = new ArrayList<>();
        private final Map<String, Set<Queue>> routes = Map.of(T1, queues(T1, 4), T2, queues(T2, 2), RETRY, queues(RETRY, 1));

        private final Function<String, Set<Queue>> route = topic -> {
            routesAsked.add(topic);
            return routes.getOrDefault(topic, Set.of());
        };

        private final List<Subscription> t1 = List.of(sub(T1, "*"), sub(RETRY, "*"));

        @Test
        void clusteringWithEveryRouteQueueHeldOnceIsOk() {
            List<ClientReport> reports = List.of(
                    report(t1, q(T1, 0), q(T1, 1), q(RETRY, 0)),
                    report(t1, q(T1, 2), q(T1, 3)));

            assertThat(ConsumerStatus.rebalanceOk(CLUSTERING, reports, route)).isTrue();
            assertThat(routesAsked).containsExactlyInAnyOrder(T1, RETRY);
        }

        @Test
        void oneClientHoldingEverythingIsOk() {
            assertThat(ConsumerStatus.rebalanceOk(CLUSTERING,
                    List.of(report(t1, q(T1, 0), q(T1, 1), q(T1, 2), q(T1, 3), q(RETRY, 0))), route)).isTrue();
        }

        @Test
        void aQueueHeldByTwoClientsIsNotOk() {
            List<ClientReport> reports = List.of(
                    report(t1, q(T1, 0), q(T1, 1), q(RETRY, 0)),
                    report(t1, q(T1, 1), q(T1, 2), q(T1, 3)));

            assertThat(ConsumerStatus.rebalanceOk(CLUSTERING, reports, route)).isFalse();
        }

        @Test
        void aRouteQueueHeldByNobodyIsNotOk() {
            List<ClientReport> reports = List.of(
                    report(t1, q(T1, 0), q(T1, 1), q(RETRY, 0)),
                    report(t1, q(T1, 2)));

            assertThat(ConsumerStatus.rebalanceOk(CLUSTERING, reports, route)).isFalse();
        }

        @Test
        void theRetryTopicsQueueCountsToo() {
            List<ClientReport> reports = List.of(
                    report(t1, q(T1, 0), q(T1, 1)),
                    report(t1, q(T1, 2), q(T1, 3)));

            assertThat(ConsumerStatus.rebalanceOk(CLUSTERING, reports, route)).isFalse();
        }

        @Test
        void clientsOfOneGroupSubscribingDifferentTopicsLeaveQueuesUnconsumed() {
            // Each client rebalances its own topic among both clients: half of each topic is never pulled.
            List<ClientReport> reports = List.of(
                    report(List.of(sub(T1, "*")), q(T1, 0), q(T1, 1)),
                    report(List.of(sub(T2, "*")), q(T2, 0)));

            assertThat(ConsumerStatus.rebalanceOk(CLUSTERING, reports, route)).isFalse();
        }

        @Test
        void broadcastingWithEveryClientHoldingEveryQueueIsOk() {
            Queue[] all = {q(T1, 0), q(T1, 1), q(T1, 2), q(T1, 3), q(RETRY, 0)};
            List<ClientReport> reports = List.of(report(t1, all), report(t1, all), report(t1, all));

            assertThat(ConsumerStatus.rebalanceOk(BROADCASTING, reports, route)).isTrue();
        }

        @Test
        void broadcastingWithAClientMissingAQueueIsNotOk() {
            Queue[] all = {q(T1, 0), q(T1, 1), q(T1, 2), q(T1, 3), q(RETRY, 0)};
            List<ClientReport> reports = List.of(report(t1, all),
                    report(t1, q(T1, 0), q(T1, 1), q(T1, 2), q(RETRY, 0)));

            assertThat(ConsumerStatus.rebalanceOk(BROADCASTING, reports, route)).isFalse();
        }

        @Test
        void broadcastingSplitLikeClusteringIsNotOk() {
            List<ClientReport> reports = List.of(
                    report(t1, q(T1, 0), q(T1, 1), q(RETRY, 0)),
                    report(t1, q(T1, 2), q(T1, 3)));

            assertThat(ConsumerStatus.rebalanceOk(BROADCASTING, reports, route)).isFalse();
        }

        @Test
        void noReportsIsNotOk() {
            assertThat(ConsumerStatus.rebalanceOk(CLUSTERING, List.of(), route)).isFalse();
            assertThat(ConsumerStatus.rebalanceOk(BROADCASTING, List.of(), route)).isFalse();
        }

        @Test
        void reportsWithNothingSubscribedAndNothingHeldAreNotOk() {
            assertThat(ConsumerStatus.rebalanceOk(CLUSTERING, List.of(report(List.of()), report(List.of())), route)).isFalse();
        }

        @Test
        void aSubscribedTopicWithoutARouteAndNothingHeldIsNotOk() {
            assertThat(ConsumerStatus.rebalanceOk(CLUSTERING, List.of(report(List.of(sub("X%gone", "*")))), route)).isFalse();
        }
    }

    @Nested
    class SubscriptionSame {
        @Test
        void sameTopicsAndExpressionsInAnyOrderAreTheSame() {
            List<ClientReport> reports = List.of(
                    report(List.of(sub(T1, "TagA||TagB"), sub(T2, "*"))),
                    report(List.of(sub(T2, "*"), sub(T1, "TagA||TagB"))));

            assertThat(ConsumerStatus.subscriptionSame(reports)).isTrue();
        }

        @Test
        void aDifferentExpressionIsNotTheSame() {
            List<ClientReport> reports = List.of(report(List.of(sub(T1, "TagA"))), report(List.of(sub(T1, "TagB"))));

            assertThat(ConsumerStatus.subscriptionSame(reports)).isFalse();
        }

        @Test
        void aDifferentTopicIsNotTheSame() {
            List<ClientReport> reports = List.of(report(List.of(sub(T1, "*"))), report(List.of(sub(T2, "*"))));

            assertThat(ConsumerStatus.subscriptionSame(reports)).isFalse();
        }

        @Test
        void oneTopicMoreIsNotTheSame() {
            List<ClientReport> reports = List.of(report(List.of(sub(T1, "*"))), report(List.of(sub(T1, "*"), sub(T2, "*"))));

            assertThat(ConsumerStatus.subscriptionSame(reports)).isFalse();
        }

        @Test
        void retryTopicsAreIgnored() {
            List<ClientReport> reports = List.of(
                    report(List.of(sub(T1, "*"), sub(RETRY, "*"))),
                    report(List.of(sub(T1, "*"))),
                    report(List.of(sub(T1, "*"), sub("%RETRY%X%GID_other", "TagZ"))));

            assertThat(ConsumerStatus.subscriptionSame(reports)).isTrue();
        }

        @Test
        void versionsAndParsedTagsDoNotCount() {
            List<ClientReport> reports = List.of(
                    report(List.of(new Subscription(T1, "TagA", 1L, Set.of("TagA")))),
                    report(List.of(new Subscription(T1, "TagA", 99L, Set.of()))));

            assertThat(ConsumerStatus.subscriptionSame(reports)).isTrue();
        }

        @Test
        void oneOrNoClientIsTriviallyTheSame() {
            assertThat(ConsumerStatus.subscriptionSame(List.of(report(List.of(sub(T1, "*")))))).isTrue();
            assertThat(ConsumerStatus.subscriptionSame(List.of())).isTrue();
        }
    }
}
