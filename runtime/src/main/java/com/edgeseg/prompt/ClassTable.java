package com.edgeseg.prompt;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The classes a model package knows (§1.1): ids, names, the "everything" set, subclass groups and legacy ids.
 * Built from the package manifest; looked up case-insensitively by name, treating '_' and '-' as spaces so that
 * {@code right_kidney}, {@code Right-Kidney} and {@code right kidney} are one class.
 */
public final class ClassTable {

    /** One class of the table. {@code group} lists the sub-ids a group prompt expands to (empty if not a group). */
    public record Entry(int id, String name, boolean legacy, List<Integer> group) {
        public Entry {
            group = List.copyOf(group);
        }

        public boolean isGroup() {
            return !group.isEmpty();
        }
    }

    private final Map<Integer, Entry> byId = new LinkedHashMap<>();
    private final Map<String, Entry> byName = new LinkedHashMap<>();
    private final List<Integer> everything;
    private final int lastSupported;

    public ClassTable(List<Entry> entries, List<Integer> everything, int lastSupported) {
        for (Entry e : entries) {
            if (byId.put(e.id(), e) != null) {
                throw new IllegalArgumentException("duplicate class id " + e.id());
            }
            byName.put(normalise(e.name()), e);
        }
        this.everything = List.copyOf(everything);
        this.lastSupported = lastSupported;
    }

    static String normalise(String name) {
        return name.trim().toLowerCase(Locale.ROOT).replace('_', ' ').replace('-', ' ').replaceAll("\\s+", " ");
    }

    public Optional<Entry> byId(int id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Optional<Entry> byName(String name) {
        return Optional.ofNullable(byName.get(normalise(name)));
    }

    /** The ids segmented when no class is asked for, ascending (argmax ties go to the first). */
    public List<Integer> everything() {
        return everything;
    }

    /** Ids above this are zero-shot: only the point branch can segment them (§1.2). */
    public int lastSupported() {
        return lastSupported;
    }

    public Map<Integer, Entry> entries() {
        return Collections.unmodifiableMap(byId);
    }

    public String name(int id) {
        Entry e = byId.get(id);
        return e != null ? e.name() : (id > lastSupported ? "zero-shot structure " + id : "class " + id);
    }
}
