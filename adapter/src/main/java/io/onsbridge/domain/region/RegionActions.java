package io.onsbridge.domain.region;

import io.onsbridge.domain.Params;
import io.onsbridge.domain.WireList;
import io.onsbridge.domain.WireObject;
import java.util.List;
import java.util.Map;

/**
 * OnsRegionList (region.md). One bridge serves one cluster, which is one region: the list holds the
 * configured region, under the display name ONS uses for it.
 */
public final class RegionActions {
    /** Display names from the ONS sample answer (region.md); other region IDs are shown as they are. */
    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("mq-internet-access", "公网"),
            Map.entry("cn-qingdao", "华北1（青岛）"),
            Map.entry("cn-shenzhen", "华南1（深圳）"),
            Map.entry("cn-hangzhou", "华东1（杭州）"),
            Map.entry("cn-beijing", "华北2（北京）"),
            Map.entry("cn-shanghai", "华东2（上海）"),
            Map.entry("cn-chengdu", "西南1（成都）"),
            Map.entry("cn-zhangjiakou", "华北3（张家口）"),
            Map.entry("cn-huhehaote", "华北5（呼和浩特）"),
            Map.entry("cn-hongkong", "中国（香港）"),
            Map.entry("ap-southeast-1", "新加坡"),
            Map.entry("ap-northeast-1", "日本（东京）"),
            Map.entry("ap-southeast-3", "马来西亚（吉隆坡）"),
            Map.entry("ap-south-1", "印度（孟买）"),
            Map.entry("me-east-1", "阿联酋（迪拜）"),
            Map.entry("eu-central-1", "德国（法兰克福）"),
            Map.entry("us-west-1", "美国（硅谷）"),
            Map.entry("us-east-1", "美国（弗吉尼亚）"),
            Map.entry("ap-southeast-2", "澳大利亚（悉尼）"),
            Map.entry("eu-west-1", "英国（伦敦）"));

    private final String regionId;

    public RegionActions(String regionId) {
        this.regionId = regionId;
    }

    public static String displayName(String regionId) {
        return NAMES.getOrDefault(regionId, regionId);
    }

    public WireObject onsRegionList(Params request) {
        WireObject region = WireObject.of()
                .with("OnsRegionId", regionId)
                .with("RegionName", displayName(regionId));
        return WireObject.of().with("Data", WireList.wrapped("RegionDo", List.of(region)));
    }
}
