package io.onsbridge.domain.trace;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.onsbridge.cluster.StoredMessage;
import io.onsbridge.domain.RecentlyFound;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Where the trace queries of lately found their messages, so that a query asked again (a console refreshing a
 * trace, a user tracing the message they just looked at, a key traced again) costs no round trip to the cluster:
 * the index lookup is the one a trace query otherwise makes, and on a 2-core machine an isolated round trip costs
 * more than the two SDK calls themselves (bench/RESULTS.md, session 10).
 *
 * <ul>
 *   <li>By id, a message stored in its topic is kept for {@link #BY_ID_KEPT}: a stored message never moves, so
 *       nothing another bridge does can change the answer (a message the store has dropped at the end of its
 *       retention is still traced for that long). One still waiting in a holding topic (timed, transactional
 *       half) is not kept: it moves to its topic.</li>
 *   <li>By key, the messages found are kept for {@link RecentlyFound#KEPT_FOR} (under a second): a message sent
 *       with the key since then is seen that much later. Past half that time one query locates them again while
 *       the others keep what is held: otherwise every query of the key arriving as the entry expired located it
 *       itself (with 8 clients tracing one key, up to 8 lookups of 4 indexes each, every 900 ms).</li>
 * </ul>
 * What was not found is never kept. Bodies are dropped (a trace shows none); both tables are bounded by the
 * size of what they hold.
 */
final class RecentlyLocated {
    static final Duration BY_ID_KEPT = Duration.ofMinutes(10);
    private static final long MAX_WEIGHT = 8L << 20;
    /** A kept message's fixed cost beyond its properties' characters: the record, its strings' headers. */
    private static final int ENTRY_WEIGHT = 256;

    // upkeep in the caller's thread, as RecentlyFound's: no pool thread woken per query
    private final Cache<String, TraceLookup.Located> byId = Caffeine.newBuilder().maximumWeight(MAX_WEIGHT)
            .weigher((String key, TraceLookup.Located l) -> weight(l)).expireAfterWrite(BY_ID_KEPT).executor(Runnable::run).build();
    /** Renewed ahead, as {@link RecentlyFound} is: a key traced again and again is located again by one query at a time. */
    private final RecentlyFound<List<TraceLookup.Located>> byKey = new RecentlyFound<>(MAX_WEIGHT,
            found -> found.stream().mapToInt(RecentlyLocated::weight).sum() + ENTRY_WEIGHT);

    /** The messages lately located for the query, before its time range applies; null if none are known. */
    List<TraceLookup.Located> get(TraceQuery query, String brokerTopic) {
        if (query.byKey()) {
            return byKey.get(brokerTopic, query.value());
        }
        TraceLookup.Located found = byId.getIfPresent(key(brokerTopic, query.value()));
        return found == null ? null : List.of(found);
    }

    /** Keeps what the query located (see the class comment for what is not kept); answers it. */
    List<TraceLookup.Located> put(TraceQuery query, String brokerTopic, List<TraceLookup.Located> located) {
        if (located.isEmpty()) {
            return located;
        }
        if (query.byKey()) {
            byKey.put(brokerTopic, query.value(), located.stream().map(RecentlyLocated::withoutBody).toList());
        } else if (located.size() == 1 && located.get(0).delivered()) {
            byId.put(key(brokerTopic, query.value()), withoutBody(located.get(0)));
        }
        return located;
    }

    private static TraceLookup.Located withoutBody(TraceLookup.Located l) {
        StoredMessage m = l.message();
        return new TraceLookup.Located(new StoredMessage(m.topic(), m.broker(), m.queueId(), m.queueOffset(), m.commitLogOffset(),
                m.uniqueId(), m.offsetId(), m.bornHost(), m.bornTimestamp(), m.storeHost(), m.storeTimestamp(), m.storeSize(),
                m.bodyCrc(), m.reconsumeTimes(), m.flag(), new byte[0], m.properties()), l.waitingIn());
    }

    private static int weight(TraceLookup.Located l) {
        int chars = 0;
        for (Map.Entry<String, String> p : l.message().properties().entrySet()) {
            chars += p.getKey().length() + p.getValue().length();
        }
        return ENTRY_WEIGHT + 2 * chars;
    }

    private static String key(String brokerTopic, String value) {
        return brokerTopic + '\u0000' + value;
    }
}
