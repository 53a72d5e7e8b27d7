package io.onsbridge.actions;

import static io.onsbridge.actions.BackendErrors.guarded;
import static io.onsbridge.protocol.ActionRegistry.ONS_VERSION;

import io.onsbridge.instance.InstanceActions;
import io.onsbridge.protocol.ActionRegistry;
import io.onsbridge.region.RegionActions;
import io.onsbridge.service.ServiceActions;

/** Every action the bridge serves, by its exact Action name: the one dispatch table. */
public final class ActionTable {
    private ActionTable() {
    }

    public static ActionRegistry build(ServiceActions service, RegionActions region, InstanceActions instance) {
        ActionRegistry registry = new ActionRegistry();
        registry.register(ONS_VERSION, "OpenOnsService", guarded(service::openOnsService))
                .register(ONS_VERSION, "OnsRegionList", guarded(region::onsRegionList))
                .register(ONS_VERSION, "OnsInstanceCreate", guarded(instance::onsInstanceCreate))
                .register(ONS_VERSION, "OnsInstanceBaseInfo", guarded(instance::onsInstanceBaseInfo))
                .register(ONS_VERSION, "OnsInstanceDelete", guarded(instance::onsInstanceDelete))
                .register(ONS_VERSION, "OnsInstanceUpdate", guarded(instance::onsInstanceUpdate))
                .register(ONS_VERSION, "OnsInstanceInServiceList", guarded(instance::onsInstanceInServiceList));
        return registry;
    }
}
