package com.edgeseg.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The two profiles carry the §8 decisions: parity = reference quirks, product = the documented differences. */
class FidelityProfileTest {
    @Test
    void parityReproducesTheReferenceQuirks() {
        FidelityProfile p = FidelityProfile.parity();
        assertTrue(p.strictWindowInside());
        assertTrue(p.windowsForIgnoredClicks());
        assertTrue(p.sumOverlappingWindows());
        assertTrue(p.referenceNaN());
        assertTrue(p.editInPlace());
        assertEquals(FidelityProfile.InsideRule.ANY_CLICK, p.insideRule());
        assertEquals(FidelityProfile.ComponentChoice.MAX_ID, p.componentChoice());
        assertTrue(p.meanFillUnkeptComponents());
        assertEquals(Set.of(25, 26, 27, 28, 29, 117), p.specialIds());
        assertTrue(p.isSpecial(28));
        assertEquals(FidelityProfile.Lattice.REFERENCE, p.lattice(), "check-pipeline needs the reference crop and order");
        assertFalse(p.isSpecial(23));
    }

    @Test
    void productDiffersInEverySwitch() {
        FidelityProfile p = FidelityProfile.parity();
        FidelityProfile q = FidelityProfile.product();
        assertTrue(p.strictWindowInside() != q.strictWindowInside()
                && p.windowsForIgnoredClicks() != q.windowsForIgnoredClicks()
                && p.sumOverlappingWindows() != q.sumOverlappingWindows()
                && p.referenceNaN() != q.referenceNaN()
                && p.editInPlace() != q.editInPlace()
                && p.insideRule() != q.insideRule()
                && p.componentChoice() != q.componentChoice()
                && p.meanFillUnkeptComponents() != q.meanFillUnkeptComponents()
                && p.lattice() != q.lattice());
        assertEquals(Set.of(23, 24, 25, 26, 27, 57, 128), q.specialIds());
    }

    @Test
    void profilesAreFoundByName() {
        assertEquals(FidelityProfile.parity(), FidelityProfile.named("Parity"));
        assertEquals(FidelityProfile.product(), FidelityProfile.named("product"));
        UnknownFidelityProfileException e = org.junit.jupiter.api.Assertions.assertThrows(
                UnknownFidelityProfileException.class, () -> FidelityProfile.named("exact"));
        assertTrue(e.getMessage().contains("parity"));
    }
}
