package com.edgeseg.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Names, ids, groups, zero-shot and special labels resolve the way §3.2 and Q13-Q15 say. */
class PromptResolutionTest {
    private static final ClassTable TABLE = new ClassTable(List.of(
            new ClassTable.Entry(1, "liver", false, List.of()),
            new ClassTable.Entry(2, "kidney", false, List.of(14, 5)),
            new ClassTable.Entry(3, "spleen", false, List.of()),
            new ClassTable.Entry(5, "right kidney", false, List.of()),
            new ClassTable.Entry(14, "left kidney", false, List.of()),
            new ClassTable.Entry(16, "prostate or uterus", true, List.of()),
            new ClassTable.Entry(26, "hepatic tumor", false, List.of())),
            List.of(1, 3, 5, 14), 132);
    private final PromptResolver resolver = new PromptResolver(TABLE, Set.of(26));

    @Test
    void noPromptMeansTheEverythingSetInAscendingOrder() {
        assertEquals(List.of(1, 3, 5, 14), resolver.resolve(List.of(), false).autoClassIds());
        assertEquals(List.of(1, 3, 5, 14), resolver.resolve(List.of("Everything"), false).autoClassIds());
    }

    @Test
    void namesAreCaseInsensitiveAndSeparatorsAreSpaces() {
        assertEquals(List.of(5, 1), resolver.resolve(List.of("Right_Kidney", "LIVER"), false).autoClassIds());
        assertEquals(List.of(5), resolver.resolve(List.of("right-kidney"), false).autoClassIds());
    }

    @Test
    void groupsExpandInPlaceKeepingPromptOrder() {
        assertEquals(List.of(3, 14, 5, 1), resolver.resolve(List.of("3", "kidney", "1"), false).autoClassIds());
    }

    @Test
    void groupWithClicksIsATypedErrorNamingTheGroup() {
        InvalidPromptException e = assertThrows(InvalidPromptException.class,
                () -> resolver.resolve(List.of("kidney"), true));
        assertTrue(e.getMessage().contains("kidney (2)"), e.getMessage());
    }

    @Test
    void unknownNameWithoutClicksIsRejectedWithTheKnownClasses() {
        InvalidPromptException e = assertThrows(InvalidPromptException.class,
                () -> resolver.resolve(List.of("pancreas"), false));
        assertTrue(e.getMessage().contains("pancreas") && e.getMessage().contains("liver=1"), e.getMessage());
    }

    @Test
    void unknownNameWithClicksIsTheOneZeroShotId() {
        ResolvedPrompt p = resolver.resolve(List.of("new:sarcoma"), true);
        assertEquals(OptionalInt.of(PromptResolver.ZERO_SHOT_ID), p.objectId());
        assertTrue(p.zeroShot());
        assertTrue(p.autoClassIds().isEmpty(), "zero-shot objects never reach the auto head");
        assertEquals(p, resolver.resolve(List.of("NEW: another unseen thing"), true), "ids do not depend on history");
        InvalidPromptException typo = assertThrows(InvalidPromptException.class,
                () -> resolver.resolve(List.of("livr"), true));
        assertTrue(typo.getMessage().contains("unknown class 'livr'") && typo.getMessage().contains("liver=")
                && typo.getMessage().contains("new:livr"), "a misspelled class is not a zero-shot object: "
                + typo.getMessage());
        assertThrows(InvalidPromptException.class, () -> resolver.resolve(List.of("new:liver"), true),
                "a known class is not unseen");
        assertThrows(InvalidPromptException.class, () -> resolver.resolve(List.of("new:sarcoma"), false),
                "zero-shot needs clicks");
        assertThrows(InvalidPromptException.class, () -> resolver.resolve(List.of("liver", "Liver"), false),
                "a class given twice");
    }

    @Test
    void idsAboveLastSupportedNeedClicks() {
        assertThrows(InvalidPromptException.class, () -> resolver.resolve(List.of("140"), false));
        assertTrue(resolver.resolve(List.of("140"), true).zeroShot());
    }

    @Test
    void unknownSupportedIdLegacyIdAndReservedIdsAreRejected() {
        assertThrows(InvalidPromptException.class, () -> resolver.resolve(List.of("7"), false));
        assertThrows(InvalidPromptException.class, () -> resolver.resolve(List.of("16"), false));
        assertThrows(InvalidPromptException.class, () -> resolver.resolve(List.of("255"), true));
        assertThrows(InvalidPromptException.class, () -> resolver.resolve(List.of("0"), false));
    }

    @Test
    void specialLabelsAreDecidedOnTheFirstPrompt() {
        assertTrue(resolver.resolve(List.of("hepatic tumor"), true).special());
        assertFalse(resolver.resolve(List.of("liver"), true).special());
        assertTrue(resolver.resolve(List.of("26", "1"), false).special());
    }

    @Test
    void clicksWithoutClassAreASupportedObjectWithoutId() {
        ResolvedPrompt p = resolver.resolve(List.of(), true);
        assertFalse(p.zeroShot());
        assertTrue(p.objectId().isEmpty());
        assertTrue(p.autoClassIds().isEmpty());
    }
}
