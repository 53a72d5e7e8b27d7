package io.onsbridge.domain.instance;

import io.onsbridge.domain.NameLocks;
import io.onsbridge.domain.OnsErrors;
import io.onsbridge.domain.Params;
import io.onsbridge.domain.TagFilter;
import io.onsbridge.domain.WireList;
import io.onsbridge.domain.WireObject;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** The instance actions of instance.md. An instance is a RocketMQ namespace: its resources are {@code X%name}. */
public final class InstanceActions {
    private static final Pattern NAME = Pattern.compile("[\\p{IsHan}A-Za-z0-9_-]{3,64}");
    private static final String NAME_RULE = "3 to 64 characters: Chinese characters, letters, digits, '-' and '_'.";
    private static final int MAX_REMARK = 1024;

    private final Instances instances;
    private final TcpEndpoints tcpEndpoints;
    private final Supplier<String> httpEndpoint;
    private final Supplier<String> httpsEndpoint;
    private final int maxInstances;
    private final NameLocks nameLocks;

    /**
     * @param tcpEndpoint  the name server address RocketMQ clients use; an instance's TCP endpoint carries its ID too
     * @param httpEndpoint the URL the MQ HTTP SDKs use (the bridge's HTTP port), asked when an instance is described
     *                     because the port is bound after the actions are made
     * @param httpsEndpoint the same over TLS, or a null answer when the bridge serves no HTTPS (the field is then absent)
     * @param maxInstances the per-region quota (ONS allows 8); 0 for none
     */
    public InstanceActions(Instances instances, String tcpEndpoint, Supplier<String> httpEndpoint, Supplier<String> httpsEndpoint,
                           int maxInstances, NameLocks nameLocks) {
        this.instances = instances;
        this.httpEndpoint = httpEndpoint;
        this.httpsEndpoint = httpsEndpoint;
        this.nameLocks = nameLocks;
        this.tcpEndpoints = new TcpEndpoints(tcpEndpoint);
        this.maxInstances = maxInstances;
    }

    public WireObject onsInstanceCreate(Params request) {
        String name = request.required("InstanceName", NAME, NAME_RULE);
        String remark = request.optional("Remark", MAX_REMARK);
        // Names and the quota are checked, then written, by one bridge of the cluster at a time.
        InstanceRecord created = nameLocks.locked(NameLocks.INSTANCE_LIST, () -> {
            Map<String, InstanceRecord> registered = instances.registered();
            if (maxInstances > 0 && registered.size() >= maxInstances) {
                throw OnsErrors.instanceQuotaExceeded(maxInstances);
            }
            checkNameFree(name, null);
            String id;
            do {
                id = instances.newInstanceId();
            } while (registered.containsKey(id));
            InstanceRecord record = new InstanceRecord(id, name, remark, InstanceRecord.TYPE_STANDARD, InstanceRecord.STATUS_IN_SERVICE,
                    true, System.currentTimeMillis(), null);
            instances.save(record);
            return record;
        });
        return WireObject.of().with("Data", WireObject.of()
                .with("InstanceId", created.instanceId())
                .with("InstanceType", created.instanceType()));
    }

    public WireObject onsInstanceBaseInfo(Params request) {
        InstanceRecord instance = instances.require("InstanceId", request.required("InstanceId"));
        String tcpEndpoint = tcpEndpoints.of(instance.instanceId(), instance.independentNaming());
        WireObject endpoints = WireObject.of()
                .with("TcpEndpoint", tcpEndpoint)
                .with("TcpInternetEndpoint", tcpEndpoint)
                .with("HttpInternetEndpoint", httpEndpoint.get())
                .with("HttpInternalEndpoint", httpEndpoint.get())
                .with("HttpInternetSecureEndpoint", httpsEndpoint.get());
        return WireObject.of().with("InstanceBaseInfo", WireObject.of()
                .with("InstanceId", instance.instanceId())
                .with("InstanceName", instance.instanceName())
                .with("InstanceStatus", instance.instanceStatus())
                .with("InstanceType", instance.instanceType())
                .with("IndependentNaming", instance.independentNaming())
                .with("Remark", instance.remark())
                // Not in ONS's answer: the ID MQTT devices and QueryMqttTraceDevice may use (docs/mqtt-api.md); SDKs skip it.
                .with("MqttInstanceId", instance.mqttInstanceId())
                // The legacy SDK reads this one CreateTime as a String.
                .with("CreateTime", instance.createTime() == null ? null : String.valueOf(instance.createTime()))
                .with("Endpoints", endpoints));
    }

    public WireObject onsInstanceDelete(Params request) {
        String id = request.required("InstanceId");
        instances.require("InstanceId", id);
        if (instances.isDefault(id)) {
            throw OnsErrors.defaultInstanceReadOnly(id);
        }
        nameLocks.locked(NameLocks.INSTANCE_LIST, () -> {
            long resources = instances.resourceCount(id);
            if (resources > 0) {
                throw OnsErrors.instanceNotEmpty(id, resources + " topic(s) or group(s)");
            }
            instances.remove(id);
        });
        return WireObject.of();
    }

    public WireObject onsInstanceUpdate(Params request) {
        String id = request.required("InstanceId");
        // An empty name or remark means "leave it as it is" (instance.md, ambiguity 2).
        String name = request.optional("InstanceName", NAME, NAME_RULE);
        String remark = request.optional("Remark", MAX_REMARK);
        instances.require("InstanceId", id);
        if (instances.isDefault(id)) {
            throw OnsErrors.defaultInstanceReadOnly(id);
        }
        nameLocks.locked(NameLocks.INSTANCE_LIST, () -> {
            if (name != null) {
                checkNameFree(name, id);
            }
            // A discovered namespace becomes a registered instance on its first update. Read again under the
            // record's lock: a tag written meanwhile must survive.
            nameLocks.locked(NameLocks.instance(id), () -> {
                InstanceRecord current = instances.require("InstanceId", id);
                instances.save(current.withNameAndRemark(name == null ? current.instanceName() : name,
                        remark == null ? current.remark() : remark));
            });
        });
        return WireObject.of();
    }

    public WireObject onsInstanceInServiceList(Params request) {
        TagFilter filter = TagFilter.of(request);
        List<WireObject> items = instances.all().values().stream()
                .filter(i -> filter.matches(i.tags()))
                .map(InstanceActions::listItem)
                .toList();
        return WireObject.of().with("Data", WireList.wrapped("InstanceVO", items));
    }

    private static WireObject listItem(InstanceRecord instance) {
        return WireObject.of()
                .with("InstanceId", instance.instanceId())
                .with("InstanceName", instance.instanceName())
                .with("InstanceStatus", instance.instanceStatus())
                .with("InstanceType", instance.instanceType())
                .with("IndependentNaming", instance.independentNaming())
                .with("CreateTime", instance.createTime())
                .with("Tags", TagFilter.wire(instance.tags()));
    }

    private void checkNameFree(String name, String exceptId) {
        boolean taken = instances.registered().values().stream()
                .anyMatch(i -> i.instanceName().equals(name) && !i.instanceId().equals(exceptId));
        if (taken) {
            throw OnsErrors.instanceNameExisted(name);
        }
    }
}
