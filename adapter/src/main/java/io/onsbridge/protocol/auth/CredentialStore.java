package io.onsbridge.protocol.auth;

import java.util.Map;
import java.util.Optional;

/** AccessKeyId to AccessKeySecret, fixed at start-up. Secrets never leave this class but to sign. */
public final class CredentialStore {
    private final Map<String, String> secrets;

    public CredentialStore(Map<String, String> secrets) {
        this.secrets = Map.copyOf(secrets);
    }

    Optional<String> secretOf(String accessKeyId) {
        return Optional.ofNullable(secrets.get(accessKeyId));
    }

    public int size() {
        return secrets.size();
    }
}
