package com.edgeseg.prompt;

import java.util.List;
import java.util.OptionalInt;

/**
 * What a user's class prompt means to the network, after names, groups and zero-shot ids are resolved.
 *
 * @param autoClassIds the ids the auto head segments, in channel order (groups expanded in place); empty in
 *                     click modes that do not use the auto head
 * @param objectId     the one object that clicks segment, if clicks were given with a class
 * @param zeroShot     the object is an unseen structure (id above the last supported id): point branch only
 * @param special      clicks get the special-class labels (0/1 become 2/3), decided on the first prompt
 */
public record ResolvedPrompt(List<Integer> autoClassIds, OptionalInt objectId, boolean zeroShot, boolean special) {
    public ResolvedPrompt {
        autoClassIds = List.copyOf(autoClassIds);
    }
}
