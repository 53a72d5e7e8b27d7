package io.onsbridge.domain.device;

import java.util.ArrayList;
import java.util.List;

/**
 * A connection's claim on its client id, as the session notices carry it: one line {@code key TAB channelId TAB
 * openedAt} per claim, several claims per notice (the claims of connects made meanwhile are written together).
 * Keys and channel ids have no whitespace (client ids are {@code GID_xxx@@@device}, channel ids 32 hex digits).
 */
record SessionClaim(String key, String channelId, long openedAt) {
    /** A notice body at most this long: well under a message's 4 MiB. */
    static final int MAX_NOTICE_CHARS = 256 * 1024;

    String line() {
        return key + '\t' + channelId + '\t' + openedAt;
    }

    /**
     * The claims of a notice; {@code sentAt} for a notice of one claim in the first form ({@code key NL channelId}),
     * whose time is its send time. A line that does not parse is skipped.
     */
    static List<SessionClaim> parse(String body, long sentAt) {
        List<SessionClaim> claims = new ArrayList<>();
        String[] lines = body.split("\n");
        if (lines.length == 2 && !lines[0].contains("\t")) {
            claims.add(new SessionClaim(lines[0], lines[1], sentAt));
            return claims;
        }
        for (String line : lines) {
            String[] parts = line.split("\t");
            if (parts.length == 3) {
                try {
                    claims.add(new SessionClaim(parts[0], parts[1], Long.parseLong(parts[2])));
                } catch (NumberFormatException e) {
                    continue; // not a claim this bridge wrote: nothing to close for it
                }
            }
        }
        return claims;
    }

    /** The bodies of the notices that carry the claims, in order, each at most {@link #MAX_NOTICE_CHARS} long. */
    static List<String> notices(List<SessionClaim> claims) {
        List<String> notices = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (SessionClaim claim : claims) {
            String line = claim.line();
            if (body.length() > 0 && body.length() + 1 + line.length() > MAX_NOTICE_CHARS) {
                notices.add(body.toString());
                body.setLength(0);
            }
            if (body.length() > 0) {
                body.append('\n');
            }
            body.append(line);
        }
        if (body.length() > 0) {
            notices.add(body.toString());
        }
        return notices;
    }
}
