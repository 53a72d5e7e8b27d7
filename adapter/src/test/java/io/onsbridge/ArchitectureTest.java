package io.onsbridge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The walls of docs/architecture.md, checked on the compiled classes: front doors, then the domain,
 * then the cluster port, then its RocketMQ implementation, in a straight line; no cycle between
 * packages; RocketMQ's types only below the port.
 */
class ArchitectureTest {
    private static final JavaClasses BRIDGE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.onsbridge");

    /**
     * What the port itself may name of RocketMQ: names and constants (a namespace's separator, a group's
     * retry topic, property names), never a client or a value type of the wire.
     */
    private static final Set<String> PORT_MAY_USE = Set.of(
            "org.apache.rocketmq.remoting.protocol.NamespaceUtil",
            "org.apache.rocketmq.common.MixAll",
            "org.apache.rocketmq.common.topic.TopicValidator",
            "org.apache.rocketmq.common.message.MessageConst");

    /** The rules below would pass on no classes at all: each layer they name must be there to be judged. */
    @Test
    void theRulesSeeEveryLayer() {
        for (String layer : List.of("io.onsbridge.http", "io.onsbridge.protocol", "io.onsbridge.domain", "io.onsbridge.domain.topic",
                "io.onsbridge.mqtt", "io.onsbridge.mqttgateway", "io.onsbridge.domain.device",
                "io.onsbridge.cluster", "io.onsbridge.cluster.rocketmq", "io.onsbridge.tracecollector")) {
            assertThat(BRIDGE.stream().filter(c -> c.getPackageName().equals(layer)).count()).as("classes in %s", layer).isPositive();
        }
        assertThat(BRIDGE.stream().anyMatch(c -> c.getName().equals("io.onsbridge.domain.topic.TopicActions"))).isTrue();
    }

    @Test
    void layersFormAStraightLine() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Wiring").definedBy("io.onsbridge", "io.onsbridge.config..", "io.onsbridge.embedded..", "io.onsbridge.metrics..")
                .layer("FrontDoors").definedBy("io.onsbridge.http..", "io.onsbridge.protocol..", "io.onsbridge.mqhttp..",
                        "io.onsbridge.mqtt..", "io.onsbridge.mqttgateway..")
                .layer("Domain").definedBy("io.onsbridge.domain..")
                .layer("ClusterPort").definedBy("io.onsbridge.cluster")
                .layer("RocketMq").definedBy("io.onsbridge.cluster.rocketmq..")
                .layer("TraceCollector").definedBy("io.onsbridge.tracecollector..")
                .whereLayer("Wiring").mayNotBeAccessedByAnyLayer()
                .whereLayer("FrontDoors").mayOnlyBeAccessedByLayers("Wiring")
                .whereLayer("Domain").mayOnlyBeAccessedByLayers("FrontDoors", "Wiring")
                .whereLayer("ClusterPort").mayOnlyBeAccessedByLayers("Domain", "RocketMq", "Wiring")
                .whereLayer("RocketMq").mayOnlyBeAccessedByLayers("Wiring")
                .whereLayer("TraceCollector").mayOnlyBeAccessedByLayers("Domain", "RocketMq", "Wiring")
                .check(BRIDGE);
    }

    @Test
    void noCycleBetweenPackages() {
        slices().matching("io.onsbridge.(**)").should().beFreeOfCycles().check(BRIDGE);
    }

    @Test
    void rocketMqOnlyBelowThePort() {
        noClasses().that().resideInAnyPackage("io.onsbridge.domain..", "io.onsbridge.protocol..", "io.onsbridge.http..", "io.onsbridge.mqhttp..",
                        "io.onsbridge.mqtt..", "io.onsbridge.mqttgateway..",
                        "io.onsbridge.metrics..", "io.onsbridge.config..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.rocketmq..")
                .check(BRIDGE);
        noClasses().that().resideInAPackage("io.onsbridge.cluster")
                .should().dependOnClassesThat(rocketMqBeyond(PORT_MAY_USE))
                .check(BRIDGE);
    }

    @Test
    void onlyTheRocketMqLayerMakesClients() {
        noClasses().that().resideOutsideOfPackages("io.onsbridge.cluster.rocketmq..", "io.onsbridge.tracecollector..",
                        "io.onsbridge.embedded..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.rocketmq.client..", "org.apache.rocketmq.tools..",
                        "org.apache.rocketmq.acl..", "org.apache.rocketmq.remoting")
                .check(BRIDGE);
    }

    /** A domain reaches another domain through its model (Topics, Groups, records), never through its actions. */
    @Test
    void actionClassesAreCalledOnlyByTheDispatch() {
        classes().that().resideInAPackage("io.onsbridge.domain..").and().haveSimpleNameEndingWith("Actions")
                .should(onlyBeAccessedFromTheirOwnPackageOr("io.onsbridge.protocol", "io.onsbridge"))
                .check(BRIDGE);
    }

    private static DescribedPredicate<JavaClass> rocketMqBeyond(Set<String> allowed) {
        return DescribedPredicate.describe("RocketMQ classes other than " + allowed,
                c -> c.getPackageName().startsWith("org.apache.rocketmq") && !allowed.contains(c.getName()));
    }

    private static ArchCondition<JavaClass> onlyBeAccessedFromTheirOwnPackageOr(String... packages) {
        Set<String> callers = Set.of(packages);
        return new ArchCondition<>("only be accessed from their own package or " + callers) {
            @Override
            public void check(JavaClass target, ConditionEvents events) {
                target.getDirectDependenciesToSelf().forEach(dependency -> {
                    String from = dependency.getOriginClass().getPackageName();
                    if (!from.equals(target.getPackageName()) && !callers.contains(from)) {
                        events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                    }
                });
            }
        };
    }
}
