package io.onsbridge.domain.alarm;

/**
 * Where one rule stands between evaluations, and the step from one evaluation to the next: a breach
 * fires (notify), a breach that goes on notifies again once per alert window, and the first evaluation
 * without a breach after firing resolves (notify once more).
 */
record AlarmState(boolean firing, String reason, long lastNotified, long lastConsumed, long lastProgress) {
    enum Notice { NONE, FIRING, RESOLVED }

    record Step(AlarmState next, Notice notice) {
    }

    static AlarmState initial(long consumed, long now) {
        return new AlarmState(false, null, 0, consumed, now);
    }

    Step next(AlarmRule rule, long backlog, long delayMillis, long consumed, long now) {
        long progress = consumed != lastConsumed || backlog == 0 ? now : lastProgress;
        String breach = rule.breach(backlog, delayMillis, progress, now);
        if (breach != null) {
            boolean repeat = firing && now - lastNotified >= Math.max(1, rule.alertMinutes()) * 60_000;
            Notice notice = !firing || repeat ? Notice.FIRING : Notice.NONE;
            long notified = notice == Notice.FIRING ? now : lastNotified;
            return new Step(new AlarmState(true, breach, notified, consumed, progress), notice);
        }
        Notice notice = firing ? Notice.RESOLVED : Notice.NONE;
        return new Step(new AlarmState(false, null, firing ? now : lastNotified, consumed, progress), notice);
    }
}
