package io.onsbridge.domain;

import java.util.LinkedHashMap;

/**
 * An action's answer, before it is JSON or XML: ordered fields whose values are strings, numbers,
 * booleans, nested {@code WireObject}s or {@link WireList}s. A null value is dropped here, so that no
 * response ever carries a {@code null} (protocol.md section 6.6).
 */
public final class WireObject extends LinkedHashMap<String, Object> {

    public static WireObject of() {
        return new WireObject();
    }

    /** Only {@link #with} adds fields: it is the one place that drops nulls and checks types. */
    @Override
    public Object put(String name, Object value) {
        throw new UnsupportedOperationException("use with(name, value)");
    }

    @Override
    public void putAll(java.util.Map<? extends String, ?> fields) {
        fields.forEach(this::with);
    }

    /** Adds a field unless its value is null. */
    public WireObject with(String name, Object value) {
        if (value != null) {
            if (!(value instanceof String || value instanceof Number || value instanceof Boolean
                    || value instanceof WireObject || value instanceof WireList)) {
                throw new IllegalArgumentException("not a wire value: " + value.getClass().getName() + " for " + name);
            }
            super.put(name, value);
        }
        return this;
    }
}
