package io.onsbridge.bench.micro;

import io.onsbridge.domain.Params;
import io.onsbridge.protocol.access.AccessPolicies;
import io.onsbridge.protocol.access.AccessRule;
import io.onsbridge.protocol.access.Authorizer;
import io.onsbridge.protocol.access.ResourceScope;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Authorizing one OnsTopicStatus call of a key with 1,000 statements (900 granting three actions on one
 * topic each, 80 granting everything in an instance by wildcard, 20 denying one topic each), granted by
 * the last wildcard so that no shortcut applies, the
 * resource worked out from the request's parameters as the dispatch does; against the same call of a
 * key the policies do not govern (one map lookup). Goal: under 5 µs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PolicyMicro {
    public static final int STATEMENTS = 1_000;
    private static final ResourceScope SCOPE = new ResourceScope("cn-hangzhou", "000000000000", "MQ_INST_000000000000_DEFAULT");
    private static final AccessRule TOPIC_STATUS = AccessRule.topic("mq:QueryTopicStatus");

    private final Authorizer authorizer;
    // Granted by the last wildcard only: the exact grants miss and every wildcard is tried (the slow path).
    private final Params request = new Params(Map.of("InstanceId", "MQ_INST_000000000000_w979", "Topic", "Orders"));

    public PolicyMicro() {
        StringBuilder statements = new StringBuilder();
        for (int i = 0; i < STATEMENTS; i++) {
            String statement;
            if (i < 900) {
                statement = "{\"Effect\": \"Allow\", \"Action\": [\"mq:QueryTopicStatus\", \"mq:PUB\", \"mq:SUB\"], "
                        + "\"Resource\": \"acs:mq:*:*:MQ_INST_000000000000_i" + (i % 10) + "%Topic" + i + "\"}";
            } else if (i < 980) {
                statement = "{\"Effect\": \"Allow\", \"Action\": \"mq:*\", \"Resource\": \"acs:mq:*:*:MQ_INST_000000000000_w" + i + "*\"}";
            } else {
                statement = "{\"Effect\": \"Deny\", \"Action\": \"mq:*\", \"Resource\": \"acs:mq:*:*:MQ_INST_000000000000_i7%Denied" + i + "\"}";
            }
            statements.append(i == 0 ? "" : ",\n").append(statement);
        }
        String file = "{\"LTAIbench\": {\"AccessKeySecret\": \"s\", \"Policies\": [{\"Version\": \"1\", \"Statement\": [" + statements + "]}]}}";
        AccessPolicies policies = AccessPolicies.parse(file, "bench", SCOPE, Set.of());
        authorizer = new Authorizer(() -> policies, SCOPE);
        authorizer.authorize("LTAIbench", "OnsTopicStatus", TOPIC_STATUS, request); // fails loudly here if the grant is not found
    }

    @Benchmark
    public Object governed() {
        return authorizer.authorize("LTAIbench", "OnsTopicStatus", TOPIC_STATUS, request);
    }

    @Benchmark
    public Object ungoverned() {
        return authorizer.authorize("LTAIadmin", "OnsTopicStatus", TOPIC_STATUS, request);
    }
}
