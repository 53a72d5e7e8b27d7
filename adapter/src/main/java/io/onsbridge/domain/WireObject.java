package io.onsbridge.domain;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An action's answer, before it is JSON or XML: ordered fields whose values are strings, numbers,
 * booleans, nested {@code WireObject}s or {@link WireList}s. A null value is dropped here, so that no
 * response ever carries a {@code null} (protocol.md section 6.6).
 *
 * <p>A read-only map over two arrays, names and values in the order they were added: an answer has a few to
 * twenty fields, looked up by name rarely, walked once to be written. A hash map's table and an entry per field
 * were four times the bytes, made for every object of every answer (ten traces of a by-key query are a hundred).
 */
public final class WireObject extends AbstractMap<String, Object> {
    private String[] names = new String[8];
    private Object[] values = new Object[8];
    private int size;

    public static WireObject of() {
        return new WireObject();
    }

    /** Adds a field unless its value is null; a name added again keeps its place and takes the new value. */
    public WireObject with(String name, Object value) {
        if (value == null) {
            return this;
        }
        if (!(value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof WireObject || value instanceof WireList)) {
            throw new IllegalArgumentException("not a wire value: " + value.getClass().getName() + " for " + name);
        }
        int at = indexOf(name);
        if (at >= 0) {
            values[at] = value;
            return this;
        }
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size++] = value;
        return this;
    }

    private int indexOf(Object name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
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

    /** The name of the field at {@code index}, in the order added: for a writer that throws, which forEach cannot. */
    public String nameAt(int index) {
        return names[index];
    }

    /** The value of the field at {@code index}. */
    public Object valueAt(int index) {
        return values[index];
    }

    @Override
    public Object get(Object name) {
        int at = indexOf(name);
        return at < 0 ? null : values[at];
    }

    @Override
    public boolean containsKey(Object name) {
        return indexOf(name) >= 0;
    }

    @Override
    public int size() {
        return size;
    }

    /** In the order the fields were added, without an entry object per field. */
    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
        for (int i = 0; i < size; i++) {
            action.accept(names[i], values[i]);
        }
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        next++;
                        return new SimpleImmutableEntry<>(names[next - 1], values[next - 1]);
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }
}
