package io.onsbridge.protocol.access;

/**
 * One wildcard pattern of a policy, compiled once when the file is read: {@code *} matches any run of
 * characters (also none), {@code ?} exactly one. Matching walks the pattern without a regex or any
 * allocation, so a request costs a few character comparisons per statement. Case is the caller's
 * business: actions are lower-cased before they get here (RAM compares them case-insensitively),
 * resources are not.
 */
final class Glob {
    private final String text;
    private final char[] pattern;
    private final boolean literal;

    Glob(String text) {
        this.text = text;
        this.pattern = text.toCharArray();
        this.literal = text.indexOf('*') < 0 && text.indexOf('?') < 0;
    }

    String text() {
        return text;
    }

    boolean isLiteral() {
        return literal;
    }

    /** For {@code literal*} (the usual "this instance and all in it"), the literal; else null. */
    String prefixOnly() {
        int star = text.indexOf('*');
        return star >= 0 && star == text.length() - 1 && text.indexOf('?') < 0 ? text.substring(0, star) : null;
    }

    /** True for {@code *}, {@code **}...: the pattern that matches everything. */
    boolean matchesEverything() {
        for (char c : pattern) {
            if (c != '*') {
                return false;
            }
        }
        return pattern.length > 0;
    }

    boolean matches(String s) {
        if (literal) {
            return text.equals(s);
        }
        int p = 0;
        int i = 0;
        int star = -1;
        int mark = 0;
        while (i < s.length()) {
            if (p < pattern.length && (pattern[p] == '?' || pattern[p] == s.charAt(i))) {
                p++;
                i++;
            } else if (p < pattern.length && pattern[p] == '*') {
                star = p++;
                mark = i;
            } else if (star >= 0) {
                // The last star takes one more character; earlier stars never need to (classic glob).
                p = star + 1;
                i = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length && pattern[p] == '*') {
            p++;
        }
        return p == pattern.length;
    }

    /** Whether some string that starts with {@code prefix} matches (for "may it see anything inside?"). */
    boolean matchesSomeExtensionOf(String prefix) {
        boolean[] states = statesAfter(prefix);
        for (boolean state : states) {
            if (state) {
                return true; // whatever the rest of the pattern asks for, some suffix supplies it
            }
        }
        return false;
    }

    /** Whether every string that starts with {@code prefix} matches (for "is all of it denied?"). */
    boolean matchesEveryExtensionOf(String prefix) {
        boolean[] states = statesAfter(prefix);
        for (int p = 0; p < pattern.length; p++) {
            if (states[p] && onlyStarsFrom(p)) {
                return true;
            }
        }
        return false;
    }

    private boolean onlyStarsFrom(int p) {
        for (int i = p; i < pattern.length; i++) {
            if (pattern[i] != '*') {
                return false;
            }
        }
        return true;
    }

    /** The pattern positions reachable after reading {@code prefix} (position length = all matched). */
    private boolean[] statesAfter(String prefix) {
        boolean[] states = new boolean[pattern.length + 1];
        states[0] = true;
        closeOverStars(states);
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            boolean[] next = new boolean[pattern.length + 1];
            boolean any = false;
            for (int p = 0; p < pattern.length; p++) {
                if (!states[p]) {
                    continue;
                }
                if (pattern[p] == '*') {
                    next[p] = true;
                    any = true;
                } else if (pattern[p] == '?' || pattern[p] == c) {
                    next[p + 1] = true;
                    any = true;
                }
            }
            if (!any) {
                return next;
            }
            closeOverStars(next);
            states = next;
        }
        return states;
    }

    private void closeOverStars(boolean[] states) {
        for (int p = 0; p < pattern.length; p++) {
            if (states[p] && pattern[p] == '*') {
                states[p + 1] = true;
            }
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
