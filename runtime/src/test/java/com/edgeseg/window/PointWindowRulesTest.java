package com.edgeseg.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.Dims;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-window click rules as each profile decides them (§8 Q4, Q5, Q29), in one reusable object. */
class PointWindowRulesTest {
    private static final Dims ROI = new Dims(16, 16, 16);
    private final PointWindowRules parity = new PointWindowRules(FidelityProfile.parity());
    private final PointWindowRules product = new PointWindowRules(FidelityProfile.product());

    @Test
    void aClickOnTheWindowsFirstPlaneIsInsideInProductOnly() {
        Click onFirstPlane = new Click(0, 5, 5, 1);
        assertFalse(parity.inside(onFirstPlane, ROI));
        assertTrue(product.inside(onFirstPlane, ROI));
        assertFalse(product.inside(new Click(16, 5, 5, 1), ROI), "the end is exclusive");
        assertTrue(parity.inside(new Click(15.9, 0.5, 5, 1), ROI));
    }

    @Test
    void ignoreClicksOpenWindowsInParityOnly() {
        Click ignore = new Click(3, 3, 3, -1);
        assertTrue(parity.opensWindow(ignore));
        assertFalse(product.opensWindow(ignore));
        assertTrue(product.opensWindow(new Click(3, 3, 3, 0)), "a negative click is a prompt");
    }

    @Test
    void localisationAndActionFollowTheClicksAWindowUses() {
        Window w = new Window(0, 10, 0, 0, ROI);
        List<Click> clicks = List.of(new Click(10, 4, 4, 1), new Click(40, 4, 4, 1));
        PointWindow inParity = parity.localise(w, 0, clicks, new int[] {0, 0, 0});
        PointWindow inProduct = product.localise(w, 0, clicks, new int[] {0, 0, 0});
        assertEquals(0.0, inProduct.localClicks().get(0).x0(), "window-local coordinates");
        assertEquals(List.of(false, false), inParity.inside());
        assertEquals(List.of(true, false), inProduct.inside());
        assertEquals(PointWindowRules.Action.NO_PROMPT, parity.action(inParity, false));
        assertEquals(PointWindowRules.Action.AUTO_ONLY, parity.action(inParity, true));
        assertEquals(PointWindowRules.Action.POINT, product.action(inProduct, false));
    }
}
