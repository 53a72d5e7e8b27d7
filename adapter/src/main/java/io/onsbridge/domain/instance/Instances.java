package io.onsbridge.domain.instance;

import io.onsbridge.cluster.Cluster;
import io.onsbridge.cluster.ClusterMetadata;
import io.onsbridge.cluster.Pending;
import io.onsbridge.cluster.ResourceNames;
import io.onsbridge.domain.OnsErrors;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What an instance is, in one place: the records created through the API (kept in the cluster), the
 * default instance that owns every resource without a namespace, and namespaces found on the cluster
 * that nobody registered (clients migrated from ONS bring their instance IDs along). Every domain that
 * takes an {@code InstanceId} resolves it here.
 */
public final class Instances {
    static final String KIND = "INSTANCE";
    private static final Pattern ID_CHARS = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final char[] ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final ClusterMetadata store;
    private final Cluster cluster;
    private final String accountId;
    private final String defaultInstanceId;
    private final SecureRandom random = new SecureRandom();

    public Instances(Cluster cluster, String accountId, String defaultInstanceId) {
        this.store = cluster.metadata();
        this.cluster = cluster;
        this.accountId = accountId;
        this.defaultInstanceId = defaultInstanceId;
    }

    /** The account number in instance IDs, also the Owner of every resource. */
    public String accountId() {
        return accountId;
    }

    public String defaultInstanceId() {
        return defaultInstanceId;
    }

    public boolean isDefault(String instanceId) {
        return defaultInstanceId.equals(instanceId);
    }

    /** Instances created through the API, by ID (the default instance's stored tags aside). */
    Map<String, InstanceRecord> registered() {
        Map<String, InstanceRecord> stored = store.list(KIND, InstanceRecord.class);
        stored.remove(defaultInstanceId);
        return stored;
    }

    /**
     * All instances: the default one first, then registered and discovered ones by ID; as the cluster held
     * them at most 900 ms ago (an instance created or deleted through another bridge may be missed that long).
     */
    public Map<String, InstanceRecord> all() {
        Map<String, InstanceRecord> all = new LinkedHashMap<>();
        all.put(defaultInstanceId, defaultInstance());
        Map<String, InstanceRecord> registered = store.recentList(KIND, InstanceRecord.class, "");
        registered.remove(defaultInstanceId);
        for (String namespace : namespacesInUse(cluster.topics().recentNames())) {
            registered.putIfAbsent(namespace, discovered(namespace));
        }
        registered.values().stream()
                .filter(i -> !i.instanceId().equals(defaultInstanceId))
                .sorted(Comparator.comparing(InstanceRecord::instanceId))
                .forEach(i -> all.put(i.instanceId(), i));
        return all;
    }

    /**
     * {@link #find} as the cluster held it at most 900 ms ago (the tables {@link #all} reads): for checks made
     * very often, such as every MQTT device's CONNECT, which then cost no cluster round trip.
     */
    public Optional<InstanceRecord> recentlyFind(String instanceId) {
        if (isDefault(instanceId)) {
            return Optional.of(defaultInstance());
        }
        InstanceRecord registered = store.recentList(KIND, InstanceRecord.class, instanceId).get(instanceId);
        if (registered != null) {
            return Optional.of(registered);
        }
        return namespacesInUse(cluster.topics().recentNames()).contains(instanceId) ? Optional.of(discovered(instanceId)) : Optional.empty();
    }

    /** Whether {@link #recentlyFind} finds the instance, decoding no record. */
    public boolean recentlyExists(String instanceId) {
        return isDefault(instanceId) || store.recentlyHas(KIND, instanceId)
                || namespacesInUse(cluster.topics().recentNames()).contains(instanceId);
    }

    /** Whether {@link #recentlyExists} of a registered instance answers now without waiting for the cluster. */
    public boolean recentlyHeld() {
        return store.recentlyHeld(KIND);
    }

    /** Reads the registered instances again if what {@link #recentlyFind} answers from is getting old; parses nothing. */
    public void refreshRecent() {
        store.recentList(KIND, InstanceRecord.class, "\uffff");
    }

    public Optional<InstanceRecord> find(String instanceId) {
        if (isDefault(instanceId)) {
            return Optional.of(defaultInstance());
        }
        Optional<InstanceRecord> registered = store.get(KIND, instanceId, InstanceRecord.class);
        if (registered.isPresent()) {
            return registered;
        }
        return namespacesInUse(cluster.topics().names()).contains(instanceId) ? Optional.of(discovered(instanceId)) : Optional.empty();
    }

    /** The instance named by a request, or the documented INSTANCE_NOT_FOUND. */
    public InstanceRecord require(String param, String instanceId) {
        checkId(param, instanceId);
        return find(instanceId).orElseThrow(() -> OnsErrors.instanceNotFound(instanceId));
    }

    /** Refuses a malformed instance ID by the parameter's name, before anything is read. */
    public static void checkId(String param, String instanceId) {
        if (!ID_CHARS.matcher(instanceId).matches()) {
            throw OnsErrors.fieldCheckInvalid(param, "an instance ID has 1 to 128 letters, digits, '_' or '-'.");
        }
    }

    /**
     * {@link #require}, started alongside the reads that need only the instance's ID (see {@link #brokerName}):
     * a malformed ID is refused at once, an unknown one when the answer is taken.
     */
    public Pending<InstanceRecord> requireMeanwhile(String param, String instanceId) {
        checkId(param, instanceId);
        return cluster.meanwhile(() -> require(param, instanceId));
    }

    /** The broker's name of a topic or group of the instance, known from its ID alone. */
    public String brokerName(String instanceId, String name) {
        return InstanceRecord.brokerName(!isDefault(instanceId), instanceId, name);
    }

    /** Saves a record; for the default instance only its tags are kept. */
    public void save(InstanceRecord record) {
        store.put(KIND, record.instanceId(), record);
    }

    void remove(String instanceId) {
        store.delete(KIND, instanceId);
    }

    /** ONS's form: MQ_INST_{account}_{8 random letters and digits}; valid as a RocketMQ namespace. */
    String newInstanceId() {
        StringBuilder id = new StringBuilder("MQ_INST_").append(accountId).append('_');
        for (int i = 0; i < 8; i++) {
            id.append(ID_ALPHABET[random.nextInt(ID_ALPHABET.length)]);
        }
        return id.toString();
    }

    /** Topics and groups of an instance on the cluster, as {@code X%name} (retry and DLQ topics included). */
    public long resourceCount(String instanceId) {
        String prefix = instanceId + ResourceNames.NAMESPACE_SEPARATOR;
        long topics = cluster.topics().names().stream().filter(t -> prefix.equals(namespacePrefix(t))).count();
        long groups = cluster.groups().names().stream().filter(g -> prefix.equals(namespacePrefix(g))).count();
        return topics + groups;
    }

    private Set<String> namespacesInUse(Set<String> topics) {
        Set<String> namespaces = new TreeSet<>();
        for (String topic : topics) {
            String namespace = ResourceNames.namespaceOf(topic);
            if (!namespace.isEmpty() && ID_CHARS.matcher(namespace).matches() && !isDefault(namespace)) {
                namespaces.add(namespace);
            }
        }
        return namespaces;
    }

    private static String namespacePrefix(String resource) {
        String namespace = ResourceNames.namespaceOf(resource);
        return namespace.isEmpty() ? null : namespace + ResourceNames.NAMESPACE_SEPARATOR;
    }

    private InstanceRecord defaultInstance() {
        Map<String, String> tags = store.get(KIND, defaultInstanceId, InstanceRecord.class).map(InstanceRecord::tags).orElse(null);
        return new InstanceRecord(defaultInstanceId, "default", "The cluster's resources without a namespace.",
                InstanceRecord.TYPE_STANDARD, InstanceRecord.STATUS_IN_SERVICE, false, null, tags);
    }

    private static InstanceRecord discovered(String namespace) {
        return new InstanceRecord(namespace, namespace, "Found on the cluster: resources in namespace " + namespace + ".",
                InstanceRecord.TYPE_STANDARD, InstanceRecord.STATUS_IN_SERVICE, true, null, null);
    }
}
