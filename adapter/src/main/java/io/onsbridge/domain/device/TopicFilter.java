package io.onsbridge.domain.device;

/**
 * An MQTT topic filter with its wildcards: {@code +} one level, {@code #} (last) any number of levels, the
 * parent itself included ({@code A/#} matches {@code A}). Its first level must be a parent topic, not a
 * wildcard: ApsaraMQ subscribes a device to a RocketMQ topic, which a wildcard cannot name.
 */
public record TopicFilter(String filter, String parent) {
    /** The filter of a SUBSCRIBE; null when it is malformed or its first level is a wildcard. */
    public static TopicFilter parse(String filter) {
        if (filter == null || filter.isEmpty()) {
            return null;
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            boolean wildcard = level.equals("+") || level.equals("#");
            if (!wildcard && (level.contains("+") || level.contains("#"))) {
                return null;
            }
            if (level.equals("#") && i != levels.length - 1) {
                return null;
            }
        }
        String parent = levels[0];
        return parent.isEmpty() || parent.equals("+") || parent.equals("#") ? null : new TopicFilter(filter, parent);
    }

    /** Whether the topic name (no wildcards) matches this filter, level by level. */
    public boolean matches(String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }

    /** The sub topic of the filter ({@code Orders/eu/+}: {@code /eu/+}), as device events report it. */
    public String subTopic() {
        return filter.substring(parent.length());
    }
}
