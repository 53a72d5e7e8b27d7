package io.onsbridge.protocol.access;

import java.util.List;
import java.util.Locale;

/**
 * One statement of a RAM policy, compiled: its effect, its Action patterns (lower-cased: RAM compares
 * actions case-insensitively) and its Resource patterns as written (compared case-sensitively).
 */
record Statement(boolean deny, List<Glob> actions, List<String> resources) {

    Statement {
        actions = List.copyOf(actions);
        resources = List.copyOf(resources);
    }

    static Statement of(boolean deny, List<String> actions, List<String> resources) {
        return new Statement(deny, actions.stream().map(a -> new Glob(a.toLowerCase(Locale.ROOT))).toList(), resources);
    }

    /** @param ramAction lower-cased */
    boolean appliesTo(String ramAction) {
        for (Glob action : actions) {
            if (action.matches(ramAction)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether it allows more than listing: a statement of only {@code mq:List...} actions lets the key
     * call a list, not see every item in it (what is listed is what the key may act on otherwise).
     */
    boolean actsBeyondListing() {
        for (Glob action : actions) {
            if (!action.text().startsWith("mq:list")) {
                return true;
            }
        }
        return false;
    }

    /** Whether it names every action of the service ({@code *}, {@code mq:*}): a Deny of it hides the resource. */
    boolean coversEveryAction() {
        for (Glob action : actions) {
            if (action.matchesEveryExtensionOf("mq:")) {
                return true;
            }
        }
        return false;
    }
}
