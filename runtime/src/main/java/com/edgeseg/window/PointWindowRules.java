package com.edgeseg.window;

import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.Dims;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-window rules of the click path (§4.2, §2.5 step 2, §8 Q4/Q5/Q29) as the profile decides them: which
 * clicks open a window, which clicks a window uses, and what a window computes. One object for the plan that opens
 * the windows, the pass that runs them and anything else that must agree with both (an actor, a cache).
 */
public final class PointWindowRules {
    private final FidelityProfile profile;

    public PointWindowRules(FidelityProfile profile) {
        this.profile = profile;
    }

    /** What the network computes in one point window. */
    public enum Action {
        /**
         * No usable click and no class: the reference network returns its "no prompt" fill (-9999) without running;
         * parity stitches that fill, product skips the window (Q29, Q7)
         */
        NO_PROMPT,
        /** No usable click but a class: the window's automatic logits stand (the network ignores the points) */
        AUTO_ONLY,
        /** The point head on the window's clicks, merged into a base when there is one (§3.4) */
        POINT
    }

    /** Q5: ignore clicks (label -1) open a window only in the reference. */
    public boolean opensWindow(Click click) {
        return !click.ignored() || profile.windowsForIgnoredClicks();
    }

    /** Q4: whether a window-local click lies inside a window of size {@code roi} ({@code 0 < x} in the reference). */
    public boolean inside(Click local, Dims roi) {
        boolean in = true;
        for (int a = 0; a < 3; a++) {
            double v = local.coord(a);
            boolean lowOk = profile.strictWindowInside() ? v > 0 : v >= 0;
            in &= lowOk && v < roi.get(a);
        }
        return in;
    }

    /**
     * Every click of the call seen from window {@code w}: local coordinates {@code (p + pad) - (start + pad)}, the
     * reference's operation order, so boundary tests see the same doubles; and whether the window uses each.
     *
     * @param padBefore zero padding before each axis of the plan's image (§4.2 step 1)
     */
    public PointWindow localise(Window w, int clickIndex, List<Click> clicks, int[] padBefore) {
        List<Click> local = new ArrayList<>(clicks.size());
        List<Boolean> inside = new ArrayList<>(clicks.size());
        for (Click c : clicks) {
            Click l = new Click((c.x0() + padBefore[0]) - (w.o0() + padBefore[0]),
                    (c.x1() + padBefore[1]) - (w.o1() + padBefore[1]),
                    (c.x2() + padBefore[2]) - (w.o2() + padBefore[2]), c.label());
            local.add(l);
            inside.add(inside(l, w.size()));
        }
        return new PointWindow(w, clickIndex, local, inside);
    }

    /** What window {@code w} computes, with or without a class prompt for the automatic head. */
    public Action action(PointWindow w, boolean classPrompt) {
        if (w.hasClicks()) {
            return Action.POINT;
        }
        return classPrompt ? Action.AUTO_ONLY : Action.NO_PROMPT;
    }
}
