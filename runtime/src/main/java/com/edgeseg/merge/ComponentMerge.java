package com.edgeseg.merge;

import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.Dims;
import com.edgeseg.window.Click;
import java.util.List;

/**
 * Merges a window's point-branch logits into base logits (the window's automatic result or previous mask) by
 * connected components touched by clicks: MONAI {@code connected_components_combine} +
 * {@code keep_merge_components_with_points} (§3.4).
 *
 * <pre>
 * inside  = some click (rule: Q9) lies on a base voxel with logit &gt; 0 (coordinates rounded half-even, clamped)
 * A = sigmoid(base, NaN -&gt; -9999) &gt; 0.5;  Q = sigmoid(point) &gt; 0.5            (float32 thresholds, Q25)
 * add = (!A || inside) &amp;&amp; Q;  rm = A &amp;&amp; !Q;  each labelled with 26-connectivity
 * per click (positive -&gt; add labels, negative -&gt; rm labels): cube of half-size 0, 1, 2 around the rounded click,
 *     first non-empty one selects a component (Q10: max id or nearest); U = union of the selected components
 * P' = point with -1 where base is NaN, Q holds and U does not
 * result = U or NaN(base) ? P' : base         (parity keeps NaN of the base: NaN * 0 = NaN, Q8)
 * </pre>
 */
public final class ComponentMerge {
    private final FidelityProfile profile;

    public ComponentMerge(FidelityProfile profile) {
        this.profile = profile;
    }

    /**
     * @param window     the window's size
     * @param base       base logits, C order over {@code window}; may hold NaN; not modified
     * @param point      point-branch logits over {@code window}; not modified
     * @param localClicks the clicks the window uses, window-local ({@code PointWindow.usedClicks()}); ignore clicks skipped
     * @return the merged logits
     */
    public float[] merge(Dims window, float[] base, float[] point, List<Click> localClicks) {
        int n = window.voxelCount();
        if (base.length != n || point.length != n) {
            throw new IllegalArgumentException("base and point logits must have " + n + " values (" + window + "), got "
                    + base.length + " and " + point.length);
        }
        boolean inside = false;
        for (Click c : localClicks) {
            if (c.ignored() || (profile.insideRule() == FidelityProfile.InsideRule.POSITIVE_CLICKS && !c.positive())) {
                continue;
            }
            // the reference rounds the float64 coordinate (numpy) and indexes without clamping (Q39: we clamp)
            int v = window.index(clampRound(c.x0(), window.n0()), clampRound(c.x1(), window.n1()),
                    clampRound(c.x2(), window.n2()));
            if (base[v] > 0) {
                inside = true;
            }
        }
        boolean[] add = new boolean[n];
        boolean[] rm = new boolean[n];
        boolean anyPos = false;
        boolean anyNeg = false;
        for (Click c : localClicks) {
            anyPos |= c.positive();
            anyNeg |= c.negative();
        }
        for (int v = 0; v < n; v++) {
            boolean a = Thresholds.foreground(base[v]);
            boolean q = Thresholds.foreground(point[v]);
            add[v] = (!a || inside) && q;
            rm[v] = a && !q;
        }
        boolean[] keep = new boolean[n];
        int[] addIds = anyPos ? ConnectedComponents.label(add, window).ids() : null;
        int[] rmIds = anyNeg ? ConnectedComponents.label(rm, window).ids() : null;
        for (Click c : localClicks) {
            int[] ids = c.positive() ? addIds : c.negative() ? rmIds : null;
            if (ids == null) {
                continue;
            }
            // the reference casts to float32 before rounding here (p.float().round())
            int x = (int) Math.rint((float) c.x0());
            int y = (int) Math.rint((float) c.x1());
            int z = (int) Math.rint((float) c.x2());
            for (int r = 0; r < 3; r++) {
                int id = choose(ids, window, x, y, z, r);
                if (id > 0) {
                    for (int v = 0; v < n; v++) {
                        if (ids[v] == id) {
                            keep[v] = true;
                        }
                    }
                    break;
                }
            }
        }
        float[] out = new float[n];
        boolean keepNaN = profile.referenceNaN();
        for (int v = 0; v < n; v++) {
            float b = base[v];
            boolean nan = Float.isNaN(b);
            float p = point[v];
            if (nan && !keep[v] && Thresholds.foreground(p)) {
                p = -1f;
            }
            if (keep[v] || nan) {
                out[v] = nan && keepNaN ? Float.NaN : p;
            } else {
                out[v] = b;
            }
        }
        return out;
    }

    /** Component id selected in the cube of half-size r around (x, y, z), 0 if the cube holds none. */
    private int choose(int[] ids, Dims d, int x, int y, int z, int r) {
        int l0 = Math.max(x - r, 0);
        int h0 = Math.min(x + r + 1, d.n0());
        int l1 = Math.max(y - r, 0);
        int h1 = Math.min(y + r + 1, d.n1());
        int l2 = Math.max(z - r, 0);
        int h2 = Math.min(z + r + 1, d.n2());
        boolean nearest = profile.componentChoice() == FidelityProfile.ComponentChoice.NEAREST;
        int best = 0;
        long bestDist = Long.MAX_VALUE;
        for (int i = l0; i < h0; i++) {
            for (int j = l1; j < h1; j++) {
                for (int k = l2; k < h2; k++) {
                    int id = ids[d.index(i, j, k)];
                    if (id == 0) {
                        continue;
                    }
                    if (nearest) {
                        long dist = (long) (i - x) * (i - x) + (long) (j - y) * (j - y) + (long) (k - z) * (k - z);
                        if (dist < bestDist || (dist == bestDist && id < best)) {
                            bestDist = dist;
                            best = id;
                        }
                    } else if (id > best) {
                        best = id;
                    }
                }
            }
        }
        return best;
    }

    private static int clampRound(double c, int n) {
        double r = Math.rint(c);
        return (int) Math.max(0, Math.min(n - 1, r));
    }
}
