package io.onsbridge.protocol.access;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One reading of the access-policies file, immutable: the AccessKeys it lists, each with its secret and
 * its compiled policies. A key it does not list is not governed by it ({@link #policyOf} is null).
 */
public final class AccessPolicies {
    public static final AccessPolicies NONE = new AccessPolicies(Map.of());

    record Account(String secret, KeyPolicy policy) {
    }

    private final Map<String, Account> accounts;

    AccessPolicies(Map<String, Account> accounts) {
        this.accounts = Map.copyOf(accounts);
    }

    /**
     * @param source       the file's name, for messages
     * @param reservedKeys the fixed keys (admin, credentials file): a file that lists one is refused, so
     *                     that a key never has two secrets
     * @throws AccessPolicyException naming the line and column of a JSON error, or the key and statement
     *                               of a policy error
     */
    public static AccessPolicies parse(String json, String source, ResourceScope scope, Set<String> reservedKeys) {
        return new AccessPolicies(new PolicyParser(source, scope, reservedKeys).parse(json));
    }

    public Optional<String> secretOf(String accessKeyId) {
        Account account = accessKeyId == null ? null : accounts.get(accessKeyId);
        return account == null ? Optional.empty() : Optional.of(account.secret());
    }

    /** The key's policies, or null for a key this file does not govern. */
    KeyPolicy policyOf(String accessKeyId) {
        Account account = accessKeyId == null ? null : accounts.get(accessKeyId);
        return account == null ? null : account.policy();
    }

    public int keys() {
        return accounts.size();
    }
}
