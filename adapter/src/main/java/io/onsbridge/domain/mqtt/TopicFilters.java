package io.onsbridge.domain.mqtt;

/** MQTT topic filters ({@code +} one level, {@code #} the rest) matched against topic names, as MQTT 3.1.1 §4.7 says. */
final class TopicFilters {
    private TopicFilters() {
    }

    static boolean matches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return i == f.length - 1;
            }
            if (i >= t.length || (!f[i].equals("+") && !f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }

    /** The full MQTT topic of a parent topic and sub topic ({@code /b/c}, or {@code b/c}, or empty). */
    static String join(String parentTopic, String subTopic) {
        if (subTopic == null || subTopic.isEmpty()) {
            return parentTopic;
        }
        return parentTopic + (subTopic.startsWith("/") ? subTopic : "/" + subTopic);
    }
}
