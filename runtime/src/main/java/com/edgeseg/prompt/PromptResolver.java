package com.edgeseg.prompt;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns user class prompts (names or ids) into network prompts the way the bundle's pre-transform does (§3.2,
 * Q13-Q15): names to ids, group expansion in place, special-label decision on the first unexpanded prompt,
 * then checks on the expanded list. Differences from the bundle (Q14): every unknown name maps to the one
 * zero-shot id {@link #ZERO_SHOT_ID}, so ids never depend on history, and unknown names are only accepted
 * with clicks (the auto head cannot segment a structure it was not trained on).
 */
public final class PromptResolver {
    /** The internal id of an unseen structure; all ids above the last supported one behave the same (Q45). */
    public static final int ZERO_SHOT_ID = 133;
    /** Class ids must stay below the reserved "not computed" label (Q27). */
    public static final int MAX_ID = 254;
    /**
     * Marks a name as an unseen structure to segment zero-shot with clicks ({@code new:sarcoma}): a misspelled
     * class must not silently become a zero-shot object.
     */
    public static final String ZERO_SHOT_PREFIX = "new:";

    private final ClassTable table;
    private final Set<Integer> specialIds;

    public PromptResolver(ClassTable table, Set<Integer> specialIds) {
        this.table = table;
        this.specialIds = Set.copyOf(specialIds);
    }

    /**
     * @param prompts   class names or ids as typed by the user; empty or {@code ["everything"]} means the everything set
     * @param hasClicks whether the request carries clicks (then at most one object is allowed)
     */
    public ResolvedPrompt resolve(List<String> prompts, boolean hasClicks) {
        boolean everything = prompts.isEmpty()
                || (prompts.size() == 1 && prompts.get(0).trim().equalsIgnoreCase("everything"));
        if (everything) {
            if (hasClicks) {
                return new ResolvedPrompt(List.of(), OptionalInt.empty(), false, false);
            }
            return new ResolvedPrompt(table.everything(), OptionalInt.empty(), false, false);
        }
        List<Integer> ids = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String p : prompts) {
            if (p != null && !seen.add(p.trim().toLowerCase(java.util.Locale.ROOT))) {
                throw new InvalidPromptException("class '" + p.trim() + "' is given twice in " + prompts
                        + "; expected each class once");
            }
            ids.add(toId(p, hasClicks));
        }
        boolean special = specialIds.contains(ids.get(0));
        List<Integer> expanded = new ArrayList<>();
        for (int id : ids) {
            ClassTable.Entry e = table.byId(id).orElse(null);
            if (e != null && e.isGroup()) {
                expanded.addAll(e.group());
            } else {
                expanded.add(id);
            }
        }
        if (hasClicks) {
            if (expanded.size() != 1) {
                String groups = ids.stream().filter(i -> table.byId(i).map(ClassTable.Entry::isGroup).orElse(false))
                        .map(i -> table.name(i) + " (" + i + ")").collect(Collectors.joining(", "));
                throw new InvalidPromptException("clicks segment exactly one structure, but the classes "
                        + prompts + " name " + expanded.size()
                        + (groups.isEmpty() ? "" : "; group " + groups + " expands to several classes, name one of them"));
            }
            int id = expanded.get(0);
            return new ResolvedPrompt(id > table.lastSupported() ? List.of() : List.of(id), OptionalInt.of(id),
                    id > table.lastSupported(), special);
        }
        for (int id : expanded) {
            if (id > table.lastSupported()) {
                throw new InvalidPromptException("class " + id + " is above " + table.lastSupported()
                        + ": unseen structures need clicks (zero-shot), the automatic head cannot segment them");
            }
        }
        return new ResolvedPrompt(expanded, OptionalInt.empty(), false, special);
    }

    private int toId(String prompt, boolean hasClicks) {
        String p = prompt == null ? "" : prompt.trim();
        if (p.isEmpty()) {
            throw new InvalidPromptException("empty class prompt; expected a class name or id, or "
                    + ZERO_SHOT_PREFIX + "NAME with clicks");
        }
        if (p.regionMatches(true, 0, ZERO_SHOT_PREFIX, 0, ZERO_SHOT_PREFIX.length())) {
            String name = p.substring(ZERO_SHOT_PREFIX.length()).trim();
            if (!hasClicks) {
                throw new InvalidPromptException("'" + p + "' is an unseen structure; expected clicks with it (the "
                        + "automatic head segments only the model's classes)");
            }
            if (name.isEmpty()) {
                throw new InvalidPromptException("'" + p + "' names no structure; expected " + ZERO_SHOT_PREFIX + "NAME");
            }
            if (table.byName(name).isPresent()) {
                throw new InvalidPromptException("'" + name + "' is a class of this model; expected it without the "
                        + ZERO_SHOT_PREFIX + " prefix");
            }
            return ZERO_SHOT_ID;
        }
        if (p.chars().allMatch(Character::isDigit)) {
            int id;
            try {
                id = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new InvalidPromptException("class id " + p + " is out of range 1.." + MAX_ID);
            }
            if (id < 1 || id > MAX_ID) {
                throw new InvalidPromptException("class id " + id + " is out of range 1.." + MAX_ID
                        + " (0 is background, 255 is reserved)");
            }
            if (id <= table.lastSupported()) {
                ClassTable.Entry e = table.byId(id).orElseThrow(() -> new InvalidPromptException(
                        "unknown class id " + id + "; this model knows " + knownSummary()));
                checkUsable(e);
            }
            return id;
        }
        ClassTable.Entry e = table.byName(p).orElse(null);
        if (e == null) {
            throw new InvalidPromptException("unknown class '" + p + "'; expected a class name or id of this model ("
                    + knownSummary() + "), or " + ZERO_SHOT_PREFIX + p + " with clicks for an unseen structure");
        }
        checkUsable(e);
        return e.id();
    }

    private void checkUsable(ClassTable.Entry e) {
        if (e.legacy()) {
            throw new InvalidPromptException("class " + e.id() + " (" + e.name()
                    + ") is a legacy id the model does not support");
        }
    }

    private String knownSummary() {
        List<String> names = table.entries().values().stream().filter(e -> !e.legacy())
                .map(e -> e.name() + "=" + e.id()).toList();
        return names.size() <= 12 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 12)) + ", ... (" + names.size() + " classes)";
    }
}
