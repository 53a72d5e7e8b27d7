package io.onsbridge.domain.mqtt;

import io.onsbridge.domain.NameLocks;
import io.onsbridge.domain.OnsErrors;
import io.onsbridge.domain.Params;
import io.onsbridge.domain.WireList;
import io.onsbridge.domain.WireObject;
import io.onsbridge.domain.instance.InstanceRecord;
import io.onsbridge.domain.instance.Instances;
import io.onsbridge.domain.stats.Buckets;
import io.onsbridge.domain.topic.Topics;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The MQTT actions of docs/mqtt-api.md: {@code QueryMqttTraceDevice} (OnsMqtt 2020-04-20) and the eight {@code OnsMqtt*}
 * of Ons 2019-02-14 (docs/mqtt-api.md). Every instance is an MQTT instance; each action takes its ONS ID or
 * its MQTT-style ID ({@link MqttInstanceIds}). Groups are metadata ({@link MqttGroups}); history, online state
 * and counts are what the gateway reported to {@link MqttDevices}, read back from the cluster.
 */
public final class MqttActions {
    private static final int MAX_CLIENT_ID = 256;
    private static final Pattern TPS_TYPE = Pattern.compile("TPS|SUM");
    private static final Pattern TRANS_TYPE = Pattern.compile("PUB|SUB");
    private static final Pattern MSG_TYPE = Pattern.compile("p2p|sub");

    private final Instances instances;
    private final Topics topics;
    private final MqttGroups groups;
    private final MqttDevices devices;
    private final NameLocks nameLocks;
    private final Clock clock;

    public MqttActions(Instances instances, Topics topics, MqttGroups groups, MqttDevices devices, NameLocks nameLocks, Clock clock) {
        this.instances = instances;
        this.topics = topics;
        this.groups = groups;
        this.devices = devices;
        this.nameLocks = nameLocks;
        this.clock = clock;
    }

    // --- groups ---------------------------------------------------------------------------------------------

    public WireObject onsMqttGroupIdCreate(Params request) {
        InstanceRecord instance = instance(request);
        String groupId = request.required("GroupId", MqttGroups.GROUP_ID, MqttGroups.GROUP_RULE);
        String topic = topics.require(instance, request.required("Topic")).name();
        nameLocks.locked(MqttGroups.key(instance.instanceId(), groupId), () -> {
            if (groups.find(instance.instanceId(), groupId).isPresent()) {
                throw OnsErrors.groupExisted(groupId);
            }
            long now = clock.millis();
            groups.save(new MqttGroupRecord(instance.instanceId(), groupId, topic, now, now));
        });
        return WireObject.of();
    }

    public WireObject onsMqttGroupIdDelete(Params request) {
        InstanceRecord instance = instance(request);
        String groupId = request.required("GroupId");
        nameLocks.locked(MqttGroups.key(instance.instanceId(), groupId), () -> {
            requireGroup(instance, groupId);
            groups.delete(instance.instanceId(), groupId);
        });
        return WireObject.of();
    }

    public WireObject onsMqttGroupIdList(Params request) {
        InstanceRecord instance = instance(request);
        List<WireObject> items = groups.of(instance.instanceId()).stream()
                .sorted(Comparator.comparing(MqttGroupRecord::groupId))
                .map(g -> WireObject.of()
                        .with("GroupId", g.groupId())
                        .with("InstanceId", instance.instanceId())
                        .with("IndependentNaming", instance.independentNaming())
                        .with("CreateTime", g.createTime())
                        .with("UpdateTime", g.updateTime()))
                .toList();
        return WireObject.of().with("Data", WireList.wrapped("MqttGroupIdDo", items));
    }

    // --- history --------------------------------------------------------------------------------------------

    public WireObject queryMqttTraceDevice(Params request) {
        request.optional("MqttRegionId"); // one region per bridge: any is this one
        InstanceRecord instance = instance(request);
        String clientId = clientId(request);
        long begin = request.requiredLong("BeginTime", 0, Long.MAX_VALUE / 2);
        long end = request.requiredLong("EndTime", 0, Long.MAX_VALUE / 2);
        if (end < begin) {
            throw OnsErrors.fieldCheckInvalid("EndTime", "must not be before BeginTime.");
        }
        Boolean reverse = request.optionalBoolean("Reverse");
        int page = request.requiredInt("CurrentPage", 1, Integer.MAX_VALUE);
        int size = request.requiredInt("PageSize", 1, 100);
        List<DeviceEvent> events = devices.history().events(instance.instanceId(), clientId, begin, end);
        List<WireObject> items = TracePage.page(events, page, size, Boolean.TRUE.equals(reverse)).stream()
                .map(e -> WireObject.of()
                        .with("ChannelId", e.ch())
                        .with("Time", TracePage.time(e.t()))
                        .with("Action", e.a())
                        .with("ActionCode", e.actionCode())
                        .with("ActionInfo", e.info()))
                .toList();
        return WireObject.of()
                .with("Success", true)
                .with("Code", 200)
                .with("CurrentPage", page)
                .with("PageSize", size)
                .with("Total", (long) events.size())
                .with("DeviceInfoList", WireList.bare("DeviceInfo", items));
    }

    // --- online state ---------------------------------------------------------------------------------------

    public WireObject onsMqttQueryClientByClientId(Params request) {
        InstanceRecord instance = instance(request);
        String clientId = clientId(request);
        OnlineDevice device = devices.onlineDevices().stream()
                .filter(d -> instance.instanceId().equals(d.i()) && clientId.equals(d.c()))
                .max(Comparator.comparingLong(OnlineDevice::ca))
                .orElse(null);
        WireObject info = WireObject.of().with("ClientId", clientId).with("Online", device != null);
        if (device != null) {
            info.with("LastTouch", device.lt()).with("SocketChannel", device.r());
        }
        List<WireObject> subscriptions = device == null ? List.of() : device.s().stream()
                .map(s -> WireObject.of().with("ParentTopic", s.p()).with("SubTopic", s.st()).with("Qos", s.q()))
                .toList();
        // SubScriptonData: misspelt by the SDK, and so on the wire (docs/mqtt-api.md)
        return WireObject.of().with("MqttClientInfoDo", info.with("SubScriptonData", WireList.wrapped("SubscriptionDo", subscriptions)));
    }

    public WireObject onsMqttQueryClientByGroupId(Params request) {
        InstanceRecord instance = instance(request);
        String groupId = requireGroup(instance, request.required("GroupId")).groupId();
        long online = devices.onlineDevices().stream()
                .filter(d -> instance.instanceId().equals(d.i()) && groupId.equals(d.groupId()))
                .map(OnlineDevice::c).distinct().count();
        return onlineCount(online);
    }

    public WireObject onsMqttQueryClientByTopic(Params request) {
        InstanceRecord instance = instance(request);
        String parent = topics.require(instance, request.required("ParentTopic")).name();
        String sub = request.optional("SubTopic");
        String topic = TopicFilters.join(parent, sub);
        long online = devices.onlineDevices().stream()
                .filter(d -> instance.instanceId().equals(d.i()))
                .filter(d -> d.s().stream().anyMatch(s -> parent.equals(s.p())
                        && (sub == null || TopicFilters.matches(TopicFilters.join(s.p(), s.st()), topic))))
                .map(OnlineDevice::c).distinct().count();
        return onlineCount(online);
    }

    private static WireObject onlineCount(long online) {
        return WireObject.of().with("MqttClientSetDo", WireObject.of().with("OnlineCount", online));
    }

    // --- curves ---------------------------------------------------------------------------------------------

    public WireObject onsMqttQueryHistoryOnline(Params request) {
        InstanceRecord instance = instance(request);
        String groupId = requireGroup(instance, request.required("GroupId")).groupId();
        Buckets buckets = buckets(request);
        long[] online = MinuteCounts.online(records(buckets), buckets, instance.instanceId(), groupId);
        return buckets.curve(instance.instanceId() + "%" + groupId + " 在线设备数 趋势图", "个", online, 0);
    }

    public WireObject onsMqttQueryMsgTransTrend(Params request) {
        InstanceRecord instance = instance(request);
        String parent = topics.require(instance, request.required("ParentTopic")).name();
        String sub = request.optional("SubTopic");
        String msgType = request.optional("MsgType", MSG_TYPE, "p2p or sub.");
        boolean tps = request.required("TpsType", TPS_TYPE, "TPS or SUM.").equals("TPS");
        String direction = request.required("TransType", TRANS_TYPE, "PUB or SUB.");
        Long qos = request.optionalLong("Qos", Integer.MIN_VALUE, Integer.MAX_VALUE); // 0, 1, 2; any other: every QoS (docs/mqtt-api.md)
        Buckets buckets = buckets(request);
        String subTopic = sub == null ? null : TopicFilters.join("", sub); // "/b/c" whether given as "b/c" or "/b/c"
        Predicate<MinuteRecord.Trans> which = t -> instance.instanceId().equals(t.i()) && parent.equals(t.p())
                && direction.equals(t.d())
                && (subTopic == null || (t.st() != null && subTopic.equals(TopicFilters.join("", t.st()))))
                && (msgType == null || t.p2p() == msgType.equals("p2p"))
                && (qos == null || qos < 0 || qos > 2 || t.q() == qos);
        long[] counts = MinuteCounts.messages(records(buckets), buckets, which);
        String title = instance.instanceId() + "%" + TopicFilters.join(parent, sub) + " " + direction.toLowerCase(Locale.ROOT) + " "
                + (tps ? "TPS" : "总量") + " 趋势图";
        return buckets.curve(title, tps ? "msg/s" : "msg", counts, tps ? 1 : 0);
    }

    private static Buckets buckets(Params request) {
        long begin = request.requiredLong("BeginTime", 0, Long.MAX_VALUE / 2);
        long end = request.requiredLong("EndTime", 0, Long.MAX_VALUE / 2);
        if (end < begin) {
            throw OnsErrors.fieldCheckInvalid("EndTime", "must not be before BeginTime.");
        }
        return MinuteCounts.buckets(begin, end);
    }

    /** The minute records standing for times in the buckets (a record stands for the middle of its interval). */
    private List<MinuteRecord> records(Buckets buckets) {
        long every = devices.countEveryMillis();
        return devices.counts(buckets.start(0), buckets.start(buckets.count()) + every);
    }

    // --- shared checks ----------------------------------------------------------------------------------------

    /** The instance of {@code InstanceId}, in either form. */
    private InstanceRecord instance(Params request) {
        String given = request.required("InstanceId");
        Instances.checkId("InstanceId", given);
        return instances.require("InstanceId", MqttInstanceIds.onsInstanceId(given));
    }

    private MqttGroupRecord requireGroup(InstanceRecord instance, String groupId) {
        // A malformed ID names no group: answered without a read.
        return (MqttGroups.GROUP_ID.matcher(groupId).matches() ? groups.find(instance.instanceId(), groupId) : Optional.<MqttGroupRecord>empty())
                .orElseThrow(() -> OnsErrors.groupNotFound(groupId));
    }

    private static String clientId(Params request) {
        String clientId = request.required("ClientId");
        if (clientId.length() > MAX_CLIENT_ID) {
            throw OnsErrors.fieldCheckInvalid("ClientId", "at most " + MAX_CLIENT_ID + " characters are allowed.");
        }
        return clientId;
    }
}
