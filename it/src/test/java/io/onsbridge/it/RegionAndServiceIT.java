package io.onsbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.ons20190214.models.OnsRegionListResponseBody.OnsRegionListResponseBodyDataRegionDo;
import com.aliyuncs.http.FormatType;
import com.aliyuncs.ons.model.v20190214.OnsRegionListRequest;
import com.aliyuncs.ons.model.v20190214.OnsRegionListResponse;
import com.aliyuncs.ons.model.v20190214.OpenOnsServiceRequest;
import io.onsbridge.junit.OnsBridgeEnvironment;
import io.onsbridge.junit.OnsBridgeTest;
import java.util.List;
import org.junit.jupiter.api.Test;

@OnsBridgeTest
class RegionAndServiceIT {
    private final Bridge bridge;

    RegionAndServiceIT(OnsBridgeEnvironment env) {
        this.bridge = Bridge.of(env);
    }

    @Test
    void legacySdkListsTheServedRegionInJsonAndXml() throws Exception {
        for (FormatType format : List.of(FormatType.JSON, FormatType.XML)) {
            OnsRegionListRequest request = new OnsRegionListRequest();
            request.setSysAcceptFormat(format);
            OnsRegionListResponse response = bridge.legacy(request);
            assertThat(response.getRequestId()).as(format.name()).matches("[0-9A-F-]{36}");
            assertThat(response.getData()).as(format.name()).singleElement().satisfies(region -> {
                assertThat(region.getOnsRegionId()).isEqualTo(Bridge.REGION);
                assertThat(region.getRegionName()).isEqualTo("华东1（杭州）");
            });
        }
    }

    @Test
    void teaSdkListsTheServedRegion() throws Exception {
        List<OnsRegionListResponseBodyDataRegionDo> regions = bridge.tea().onsRegionList().getBody().getData().getRegionDo();
        assertThat(regions).singleElement().satisfies(region -> {
            assertThat(region.getOnsRegionId()).isEqualTo(Bridge.REGION);
            assertThat(region.getRegionName()).isEqualTo("华东1（杭州）");
        });
    }

    @Test
    void openOnsServiceSucceedsRepeatedlyWithOneOrderIdInBothSdks() throws Exception {
        String legacyFirst = bridge.legacy(new OpenOnsServiceRequest()).getOrderId();
        String legacySecond = bridge.legacy(new OpenOnsServiceRequest()).getOrderId();
        String tea = bridge.tea().openOnsService().getBody().getOrderId();
        assertThat(legacyFirst).matches("\\d+").isEqualTo(legacySecond).isEqualTo(tea);
    }
}
