package io.onsbridge.protocol.access;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Resource patterns of some statements, indexed once so that a request is not matched against each
 * pattern in turn. Every resource the bridge names is {@code acs:mq:<region>:<account>:<relative>}
 * with a relative part free of ':' ({@code MQ_INST_x}, {@code MQ_INST_x%Topic}, {@code Topic}), or
 * {@code *}. A pattern {@code acs:mq:R:A:rest} therefore matches exactly when R matches the region, A the
 * account and rest the relative part (its four colons must meet the resource's four): that is decided
 * for R and A when the file is read, a literal rest becomes a hash lookup, and a rest of the form
 * {@code literal*} one hash lookup per distinct literal length. Other patterns ({@code *},
 * {@code acs:*}) are matched whole.
 */
final class ResourceSet {
    private final boolean everything;
    private final Set<String> exactRelative;
    private final Set<String> exactWhole;
    /** Every relative pattern with a wildcard (list filtering walks them all). */
    private final Glob[] relativeGlobs;
    /** The {@code literal*} ones among them, by literal length: a call looks each length up once. */
    private final int[] prefixLengths;
    private final Set<String> prefixes;
    /** The other relative patterns with a wildcard. */
    private final Glob[] otherRelativeGlobs;
    private final Glob[] wholeGlobs;

    private ResourceSet(boolean everything, Set<String> exactRelative, Set<String> exactWhole, Glob[] relativeGlobs, Glob[] wholeGlobs) {
        this.everything = everything;
        this.exactRelative = exactRelative;
        this.exactWhole = exactWhole;
        this.relativeGlobs = relativeGlobs;
        this.wholeGlobs = wholeGlobs;
        Set<String> literals = new HashSet<>();
        List<Glob> others = new ArrayList<>();
        for (Glob glob : relativeGlobs) {
            String prefix = glob.prefixOnly();
            if (prefix != null) {
                literals.add(prefix);
            } else {
                others.add(glob);
            }
        }
        this.prefixes = Set.copyOf(literals);
        this.prefixLengths = literals.stream().mapToInt(String::length).distinct().sorted().toArray();
        this.otherRelativeGlobs = others.toArray(new Glob[0]);
    }

    static ResourceSet of(Collection<String> patterns, ResourceScope scope) {
        boolean everything = false;
        Set<String> exactRelative = new HashSet<>();
        Set<String> exactWhole = new HashSet<>();
        List<Glob> relativeGlobs = new ArrayList<>();
        List<Glob> wholeGlobs = new ArrayList<>();
        for (String pattern : patterns) {
            Glob whole = new Glob(pattern);
            if (whole.matchesEverything()) {
                everything = true;
                continue;
            }
            String[] parts = pattern.split(":", 5);
            if (parts.length == 5 && parts[0].equals("acs") && parts[1].equals("mq")) {
                if (!new Glob(parts[2]).matches(scope.region()) || !new Glob(parts[3]).matches(scope.accountId())) {
                    continue; // another region or account: never one of this bridge's resources
                }
                Glob relative = new Glob(parts[4]);
                if (relative.isLiteral()) {
                    exactRelative.add(parts[4]);
                } else {
                    relativeGlobs.add(relative);
                }
            } else if (whole.isLiteral()) {
                exactWhole.add(pattern);
            } else {
                wholeGlobs.add(whole);
            }
        }
        return new ResourceSet(everything, Set.copyOf(exactRelative), Set.copyOf(exactWhole),
                relativeGlobs.toArray(new Glob[0]), wholeGlobs.toArray(new Glob[0]));
    }

    /** @param relative the part after {@code acs:mq:<region>:<account>:}, or null when the resource has none */
    boolean matches(String resource, String relative) {
        if (everything || exactWhole.contains(resource)) {
            return true;
        }
        if (relative != null) {
            if (exactRelative.contains(relative)) {
                return true;
            }
            for (int length : prefixLengths) {
                if (length > relative.length()) {
                    break;
                }
                if (prefixes.contains(relative.substring(0, length))) {
                    return true;
                }
            }
            for (Glob glob : otherRelativeGlobs) {
                if (glob.matches(relative)) {
                    return true;
                }
            }
        }
        for (Glob glob : wholeGlobs) {
            if (glob.matches(resource)) {
                return true;
            }
        }
        return false;
    }

    /** Whether some pattern matches the instance itself or anything inside it ({@code <instance>%...}). */
    boolean reachesInto(String instance, String relative) {
        if (matches(instance, relative)) {
            return true;
        }
        String inside = relative + ResourceScope.SEPARATOR;
        for (String exact : exactRelative) {
            if (exact.startsWith(inside)) {
                return true;
            }
        }
        for (Glob glob : relativeGlobs) {
            if (glob.matchesSomeExtensionOf(inside)) {
                return true;
            }
        }
        for (String exact : exactWhole) {
            if (exact.startsWith(instance + ResourceScope.SEPARATOR)) {
                return true;
            }
        }
        for (Glob glob : wholeGlobs) {
            if (glob.matchesSomeExtensionOf(instance + ResourceScope.SEPARATOR)) {
                return true;
            }
        }
        return false;
    }

    /** Whether some pattern matches the instance and everything inside it. */
    boolean coversAllOf(String instance, String relative) {
        if (everything) {
            return true;
        }
        for (Glob glob : relativeGlobs) {
            if (glob.matches(relative) && glob.matchesEveryExtensionOf(relative + ResourceScope.SEPARATOR)) {
                return true;
            }
        }
        for (Glob glob : wholeGlobs) {
            if (glob.matches(instance) && glob.matchesEveryExtensionOf(instance + ResourceScope.SEPARATOR)) {
                return true;
            }
        }
        return false;
    }
}
