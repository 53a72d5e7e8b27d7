package io.onsbridge.it;

import com.aliyun.openservices.ons.api.PropertyKeyConst;
import java.util.Properties;

/** ons-client's configuration as ONS documents it: the instance's TcpEndpoint as NAMESRV_ADDR, the keys, the group. */
final class OnsClients {
    private OnsClients() {
    }

    /** No INSTANCE_ID: the endpoint carries the instance (docs/tcp-clients.md). */
    static Properties properties(String tcpEndpoint, String accessKeyId, String accessKeySecret, String group) {
        Properties properties = new Properties();
        properties.put(PropertyKeyConst.NAMESRV_ADDR, tcpEndpoint);
        properties.put(PropertyKeyConst.AccessKey, accessKeyId);
        properties.put(PropertyKeyConst.SecretKey, accessKeySecret);
        properties.put(PropertyKeyConst.GROUP_ID, group);
        return properties;
    }
}
