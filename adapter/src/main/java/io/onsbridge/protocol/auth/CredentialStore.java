package io.onsbridge.protocol.auth;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * AccessKeyId to AccessKeySecret: the fixed keys of the start-up (admin key, credentials file) and
 * those of the access-policies file as it is now. Secrets never leave this class but to sign.
 */
public final class CredentialStore {
    private final Map<String, String> secrets;
    private final Function<String, Optional<String>> more;

    public CredentialStore(Map<String, String> secrets) {
        this(secrets, key -> Optional.empty());
    }

    /** @param more asked for keys that are not fixed, on every call (the policies file may have been reloaded) */
    public CredentialStore(Map<String, String> secrets, Function<String, Optional<String>> more) {
        this.secrets = Map.copyOf(secrets);
        this.more = more;
    }

    /** The secret of a key, for the front doors that verify a signature of their own (the MQ HTTP protocol). */
    public Optional<String> secretOf(String accessKeyId) {
        String fixed = secrets.get(accessKeyId);
        return fixed != null ? Optional.of(fixed) : more.apply(accessKeyId);
    }

    /** The fixed keys. */
    public int size() {
        return secrets.size();
    }
}
