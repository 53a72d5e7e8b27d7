package io.onsbridge.domain.alarm;

/**
 * An alarm rule of OnsWarnCreate, as stored in the name servers' KV config (kind {@code ALARM}, key
 * {@link #key()}). Units are inferred (the SDK types everything as String and no doc describes them):
 * {@code threshold} in messages of backlog, {@code delayMinutes} and {@code blockMinutes} in minutes,
 * {@code alertMinutes} the minutes between repeated notifications while it keeps firing. 0 = not checked.
 *
 * @param brokerGroup the group's broker name ({@code X%GID_...})
 * @param brokerTopic the topic's broker name ({@code X%topic})
 */
public record AlarmRule(String instanceId, String groupId, String topic, String brokerGroup, String brokerTopic,
                        long threshold, long delayMinutes, long blockMinutes, long alertMinutes, String level,
                        String contacts, long createTime) {
    static final String KIND = "ALARM";

    static String key(String brokerGroup, String brokerTopic) {
        return brokerGroup + "@" + brokerTopic;
    }

    String key() {
        return key(brokerGroup, brokerTopic);
    }

    /**
     * Why the rule is breached now, or null when it is not.
     *
     * @param lastProgress when the group last consumed from the topic, or last had no backlog
     */
    String breach(long backlog, long delayMillis, long lastProgress, long now) {
        if (threshold > 0 && backlog > threshold) {
            return "backlog " + backlog + " > threshold " + threshold;
        }
        if (delayMinutes > 0 && delayMillis >= delayMinutes * 60_000) {
            return "delay " + delayMillis / 1000 + " s >= " + delayMinutes + " min";
        }
        if (blockMinutes > 0 && backlog > 0 && now - lastProgress >= blockMinutes * 60_000) {
            return "no progress for " + (now - lastProgress) / 1000 + " s with a backlog of " + backlog;
        }
        return null;
    }
}
