package io.onsbridge.config;

/** One configuration setting: its flag ({@code --http-port}), environment variable, default and meaning. */
public enum Setting {
    HTTP_PORT("http-port", "ONS_BRIDGE_HTTP_PORT", "8080", "HTTP port of the ONS endpoint"),
    HTTP_HOST("http-host", "ONS_BRIDGE_HTTP_HOST", "0.0.0.0", "address the ONS endpoint (and the MQTT gateway) binds"),
    MQTT_PORT("mqtt-port", "ONS_BRIDGE_MQTT_PORT", "1883", "MQTT port of the device gateway (docs/mqtt.md); 0 turns the gateway off"),
    MQTT_POLL_MS("mqtt-poll-ms", "ONS_BRIDGE_MQTT_POLL_MS", "50",
            "how long the MQTT gateway waits after a long poll of a topic's queue that brought less than a batch (ms)"),
    NAMESRV("namesrv", "ONS_BRIDGE_NAMESRV", null, "cluster name server(s) host:port;host:port; unset starts the embedded cluster"),
    ADVERTISED_NAMESRV("advertised-namesrv", "ONS_BRIDGE_ADVERTISED_NAMESRV", null,
            "name server address given to applications (OnsInstanceBaseInfo TcpEndpoint); default: the one the bridge uses"),
    EMBEDDED_NAMESRV_PORT("embedded-namesrv-port", "ONS_BRIDGE_EMBEDDED_NAMESRV_PORT", "9876", "embedded name server port"),
    EMBEDDED_BROKER_PORT("embedded-broker-port", "ONS_BRIDGE_EMBEDDED_BROKER_PORT", "10911",
            "embedded broker port (it also binds port-2 and port+1)"),
    DATA_DIR("data-dir", "ONS_BRIDGE_DATA_DIR", "./data", "data dir: embedded store, generated credentials, logs"),
    REGION("region", "ONS_BRIDGE_REGION", "cn-hangzhou", "region id served"),
    ACCESS_KEY("access-key", "ONS_BRIDGE_ACCESS_KEY", null, "admin AccessKeyId (embedded: generated once into the data dir)"),
    SECRET_KEY("secret-key", "ONS_BRIDGE_SECRET_KEY", null, "admin AccessKeySecret (embedded: generated once into the data dir)"),
    CREDENTIALS_FILE("credentials-file", "ONS_BRIDGE_CREDENTIALS_FILE", null,
            "more accounts: a properties file of AccessKeyId=AccessKeySecret lines"),
    ACCESS_POLICIES("access-policies", "ONS_BRIDGE_ACCESS_POLICIES", null,
            "a JSON file of more accounts, each with RAM policies that govern it (docs/access.md); re-read when it changes"),
    CLUSTER_ACCESS_KEY("cluster-access-key", "ONS_BRIDGE_CLUSTER_ACCESS_KEY", null,
            "AccessKey of an account of an ACL-enabled cluster; signs every call the bridge makes to it"),
    CLUSTER_SECRET_KEY("cluster-secret-key", "ONS_BRIDGE_CLUSTER_SECRET_KEY", null, "SecretKey of that account"),
    ACCOUNT_ID("account-id", "ONS_BRIDGE_ACCOUNT_ID", "000000000000", "account number inside generated instance IDs"),
    DEFAULT_INSTANCE("default-instance", "ONS_BRIDGE_DEFAULT_INSTANCE", "MQ_INST_000000000000_DEFAULT",
            "ID of the instance that holds the cluster's resources without a namespace"),
    MAX_INSTANCES("max-instances", "ONS_BRIDGE_MAX_INSTANCES", "8", "instances per region, as ONS allows; 0 for no limit"),
    TOPIC_QUEUES("topic-queues", "ONS_BRIDGE_TOPIC_QUEUES", "8", "queues per master of a topic created by OnsTopicCreate"),
    WORKER_THREADS("worker-threads", "ONS_BRIDGE_WORKER_THREADS", "16", "threads serving ONS calls"),
    HTTP_MAX_CONNECTIONS("http-max-connections", "ONS_BRIDGE_HTTP_MAX_CONNECTIONS", "4096",
            "HTTP connections open at once, in all; more are closed as they come"),
    HTTP_MAX_CONNECTIONS_PER_ADDRESS("http-max-connections-per-address", "ONS_BRIDGE_HTTP_MAX_CONNECTIONS_PER_ADDRESS", "512",
            "HTTP connections open at once from one client address"),
    HTTP_IDLE_SECONDS("http-idle-seconds", "ONS_BRIDGE_HTTP_IDLE_SECONDS", "60",
            "an HTTP connection with no request for this long is closed"),
    HTTP_READ_SECONDS("http-read-seconds", "ONS_BRIDGE_HTTP_READ_SECONDS", "30",
            "a request must arrive whole (headers and body) within this many seconds of its first byte"),
    THROTTLING("throttling", "ONS_BRIDGE_THROTTLING", "off",
            "off (nothing limited) | ons (ONS's documented quotas per action) | a file of Action=rate lines on top of ons"),
    THROTTLING_SCOPE("throttling-scope", "ONS_BRIDGE_THROTTLING_SCOPE", "account",
            "account (one quota per action shared by every AccessKey, as Alibaba counts) | access-key (one per action and key)"),
    TRACE_TOPICS("trace-topics", "ONS_BRIDGE_TRACE_TOPICS", "RMQ_SYS_TRACE_TOPIC,rmq_sys_TRACE_DATA_{region}",
            "trace topics the collector reads, comma-separated; {region} is the region id (ONS's own clients write to "
                    + "rmq_sys_TRACE_DATA_<region>); add the custom trace topics your clients use"),
    TRACE_STORE_MB("trace-store-mb", "ONS_BRIDGE_TRACE_STORE_MB", "64",
            "heap for traces held in memory, MiB (~150 B per message); the oldest go first, then the broker's index answers"),
    TRACE_REPLAY_MINUTES("trace-replay-minutes", "ONS_BRIDGE_TRACE_REPLAY_MINUTES", "60",
            "at start, the collector reads traces stored this many minutes back"),
    TRACE_NOT_RETURN_SECONDS("trace-not-return-seconds", "ONS_BRIDGE_TRACE_NOT_RETURN_SECONDS", "60",
            "a consumption without result after this long shows as CONSUME_NOT_RETURN"),
    SAMPLE_INTERVAL("sample-interval", "ONS_BRIDGE_SAMPLE_INTERVAL", "60",
            "seconds between looks at the consumers: output-curve samples, backlog metrics, alarm evaluation"),
    SAMPLE_GROUPS("sample-groups", "ONS_BRIDGE_SAMPLE_GROUPS", "200",
            "groups looked at per sampling round besides those with alarm rules (the others wait their turn)"),
    ALARM_URL_PREFIXES("alarm-url-prefixes", "ONS_BRIDGE_ALARM_URL_PREFIXES", null,
            "comma-separated URL prefixes alarm Contacts may POST to; empty: notifications go nowhere"),
    MQ_HTTP_INVISIBLE_SECONDS("mq-http-invisible-seconds", "ONS_BRIDGE_MQ_HTTP_INVISIBLE_SECONDS", "300",
            "MQ HTTP protocol: seconds a consumed message stays hidden from its group unless acked (ONS: 300)"),
    ADVERTISED_HTTP("advertised-http", "ONS_BRIDGE_ADVERTISED_HTTP", null,
            "URL of the HTTP endpoint given to applications (OnsInstanceBaseInfo HttpInternetEndpoint); default: http://<host>:<http port>"),
    HTTPS_CERT("https-cert", "ONS_BRIDGE_HTTPS_CERT", null,
            "PEM certificate chain: with --https-key, the endpoint is also served over TLS on --https-port"),
    HTTPS_KEY("https-key", "ONS_BRIDGE_HTTPS_KEY", null, "PEM private key (unencrypted PKCS#8) of --https-cert"),
    HTTPS_PORT("https-port", "ONS_BRIDGE_HTTPS_PORT", "8443", "HTTPS port of the endpoint (only with --https-cert)"),
    ADVERTISED_HTTPS("advertised-https", "ONS_BRIDGE_ADVERTISED_HTTPS", null,
            "URL given as OnsInstanceBaseInfo HttpInternetSecureEndpoint; default: https://<host>:<https port>"),
    CONFIG("config", "ONS_BRIDGE_CONFIG", null, "a properties file with any of these settings, by flag name");

    private final String flag;
    private final String env;
    private final String defaultValue;
    private final String description;

    Setting(String flag, String env, String defaultValue, String description) {
        this.flag = flag;
        this.env = env;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String flag() {
        return flag;
    }

    public String env() {
        return env;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    static Setting byFlag(String flag) {
        for (Setting setting : values()) {
            if (setting.flag.equals(flag)) {
                return setting;
            }
        }
        throw new IllegalArgumentException("unknown setting --" + flag + "; see --help");
    }
}
