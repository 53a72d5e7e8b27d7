package io.onsbridge.protocol.access;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the access-policies file: {@code {"<AccessKeyId>": {"AccessKeySecret": "...", "Policies": [<RAM
 * policy document>, ...]}, ...}}. Anything it does not understand is refused rather than skipped: a
 * Condition or a NotAction ignored would grant more than its author meant.
 */
final class PolicyParser {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private static final Set<String> ACCOUNT_FIELDS = Set.of("AccessKeySecret", "Policies");
    private static final Set<String> DOCUMENT_FIELDS = Set.of("Version", "Statement");
    private static final Set<String> STATEMENT_FIELDS = Set.of("Effect", "Action", "Resource");

    private final String source;
    private final ResourceScope scope;
    private final Set<String> reservedKeys;

    PolicyParser(String source, ResourceScope scope, Set<String> reservedKeys) {
        this.source = source;
        this.scope = scope;
        this.reservedKeys = reservedKeys;
    }

    Map<String, AccessPolicies.Account> parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " line " + at.getLineNr() + ", column " + at.getColumnNr() + ":";
            throw new AccessPolicyException(source + ":" + where + " not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new AccessPolicyException(source + ": must be a JSON object of AccessKeyId to {\"AccessKeySecret\", \"Policies\"}");
        }
        Map<String, AccessPolicies.Account> accounts = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            accounts.put(entry.getKey(), account(entry.getKey(), entry.getValue()));
        }
        return accounts;
    }

    private AccessPolicies.Account account(String key, JsonNode node) {
        String at = "key \"" + key + "\"";
        if (key.isBlank()) {
            throw fail("an AccessKeyId is empty");
        }
        if (reservedKeys.contains(key)) {
            throw fail(at + " is also the admin key or a key of the credentials file; a key has one secret, "
                    + "so list it in one place only");
        }
        if (!node.isObject()) {
            throw fail(at + ": must be an object with \"AccessKeySecret\" and \"Policies\"");
        }
        onlyFields(node, ACCOUNT_FIELDS, at);
        JsonNode secret = node.get("AccessKeySecret");
        if (secret == null || !secret.isTextual() || secret.asText().isEmpty()) {
            throw fail(at + ": \"AccessKeySecret\" must be a non-empty string");
        }
        JsonNode policies = node.get("Policies");
        if (policies == null || !policies.isArray()) {
            throw fail(at + ": \"Policies\" must be an array of RAM policy documents");
        }
        List<Statement> statements = new ArrayList<>();
        for (int p = 0; p < policies.size(); p++) {
            document(policies.get(p), at + ", Policies[" + p + "]", statements);
        }
        return new AccessPolicies.Account(secret.asText(), new KeyPolicy(statements, scope));
    }

    private void document(JsonNode node, String at, List<Statement> statements) {
        if (!node.isObject()) {
            throw fail(at + ": must be a policy document {\"Version\": \"1\", \"Statement\": [...]}");
        }
        onlyFields(node, DOCUMENT_FIELDS, at);
        JsonNode version = node.get("Version");
        if (version == null || !"1".equals(version.asText()) || !version.isTextual()) {
            throw fail(at + ": \"Version\" must be \"1\", the only version of RAM's policy language");
        }
        JsonNode list = node.get("Statement");
        if (list == null || !list.isArray()) {
            throw fail(at + ": \"Statement\" must be an array");
        }
        for (int s = 0; s < list.size(); s++) {
            statements.add(statement(list.get(s), at + ".Statement[" + s + "]"));
        }
    }

    private Statement statement(JsonNode node, String at) {
        if (!node.isObject()) {
            throw fail(at + ": must be an object with \"Effect\", \"Action\" and \"Resource\"");
        }
        onlyFields(node, STATEMENT_FIELDS, at);
        JsonNode effect = node.get("Effect");
        String name = effect == null ? null : effect.asText();
        if (effect == null || !effect.isTextual() || !(name.equals("Allow") || name.equals("Deny"))) {
            throw fail(at + ": \"Effect\" must be \"Allow\" or \"Deny\", was " + (effect == null ? "missing" : effect.toString()));
        }
        List<String> actions = strings(node.get("Action"), at + ", \"Action\"");
        for (String action : actions) {
            if (!action.equals("*") && action.indexOf(':') <= 0) {
                throw fail(at + ": action \"" + action + "\" is not of the form service:Action (e.g. mq:CreateTopic) or *");
            }
        }
        return Statement.of(name.equals("Deny"), actions, strings(node.get("Resource"), at + ", \"Resource\""));
    }

    private List<String> strings(JsonNode node, String at) {
        List<String> values = new ArrayList<>();
        if (node != null && node.isTextual()) {
            values.add(node.asText());
        } else if (node != null && node.isArray()) {
            for (JsonNode item : node) {
                if (!item.isTextual()) {
                    throw fail(at + ": must hold strings, found " + item);
                }
                values.add(item.asText());
            }
        }
        if (values.isEmpty() || values.stream().anyMatch(String::isEmpty)) {
            throw fail(at + ": must be a non-empty string or a non-empty array of non-empty strings");
        }
        return values;
    }

    private void onlyFields(JsonNode node, Set<String> allowed, String at) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!allowed.contains(field)) {
                throw fail(at + ": \"" + field + "\" is not supported (allowed: " + String.join(", ", allowed.stream().sorted().toList())
                        + "); the bridge refuses what it would otherwise ignore");
            }
        }
    }

    private AccessPolicyException fail(String why) {
        return new AccessPolicyException(source + ": " + why);
    }
}
