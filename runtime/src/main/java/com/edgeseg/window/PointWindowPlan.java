package com.edgeseg.window;

import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.Dims;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Click-centred windows (MONAI {@code point_based_window_inferer}, §4.2): axes smaller than the roi are padded with 0
 * ({@code (roi - size) // 2} before), clicks are shifted by that padding, and each click from {@code pointStart} on
 * opens a window per axis: {@code [0, r)} if {@code p - r/2 < 0}, else {@code [s - r, s)} if {@code p + r/2 > s}, else
 * {@code [trunc(p) - r/2, trunc(p) + r/2)} (the tests use the float p, the bounds {@code trunc(p)}). Under a profile
 * with {@link FidelityProfile#fastClickWindows()} that centred start snaps to a multiple of {@code r/4}, so clicks a
 * few voxels apart open the same window and its encoder output can be reused.
 */
public final class PointWindowPlan {
    private final Dims image;
    private final Dims roi;
    private final int[] padBefore = new int[3];
    private final int[] padded = new int[3];
    private final List<PointWindow> windows;

    private PointWindowPlan(Dims image, Dims roi, List<Click> clicks, int pointStart, FidelityProfile profile,
                            WindowSettings.PointWindowSettings settings) {
        this.image = image;
        this.roi = roi;
        for (int a = 0; a < 3; a++) {
            int r = roi.get(a);
            if (r <= 0 || r % 2 != 0) {
                throw new IllegalArgumentException("point window roi must be positive and even, got " + roi);
            }
            if (image.get(a) <= 0) {
                throw new IllegalArgumentException("image " + image + " is empty along axis " + a);
            }
            padBefore[a] = Math.max(r - image.get(a), 0) / 2;
            padded[a] = Math.max(image.get(a), r);
        }
        if (pointStart < 0 || pointStart > clicks.size()) {
            throw new IllegalArgumentException("pointStart " + pointStart + " outside 0.." + clicks.size());
        }
        PointWindowRules rules = new PointWindowRules(profile);
        List<PointWindow> list = new ArrayList<>();
        for (int c = pointStart; c < clicks.size(); c++) {
            Click click = clicks.get(c);
            if (!rules.opensWindow(click)) {
                continue;
            }
            int[][] starts = new int[3][];
            for (int a = 0; a < 3; a++) {
                int snap = profile.fastClickWindows() ? roi.get(a) / 4 : 0;
                starts[a] = axisStarts(click.coord(a) + padBefore[a], roi.get(a), padded[a], settings, snap);
            }
            for (int s0 : starts[0]) {
                for (int s1 : starts[1]) {
                    for (int s2 : starts[2]) {
                        Window w = new Window(list.size(), s0 - padBefore[0], s1 - padBefore[1], s2 - padBefore[2], roi);
                        list.add(rules.localise(w, c, clicks, padBefore));
                    }
                }
            }
        }
        windows = Collections.unmodifiableList(list);
    }

    /** One centred window per click (the bundle's {@code center_only=True}). */
    public static PointWindowPlan of(Dims image, int[] roi, List<Click> clicks, int pointStart, FidelityProfile profile) {
        return of(image, roi, clicks, pointStart, profile, new WindowSettings.PointWindowSettings(true, 5));
    }

    /**
     * With {@code centerOnly = false} each click gets up to 3 windows per axis ({@code [L, L + r)} with
     * {@code L = max(0, p - r + margin)}, {@code [R - r, R)} with {@code R = min(s, p + r - margin)}, and the centred
     * one); bounds are truncated and, unlike the reference, clamped into the padded image.
     */
    public static PointWindowPlan of(Dims image, int[] roi, List<Click> clicks, int pointStart, FidelityProfile profile,
                                     WindowSettings.PointWindowSettings settings) {
        return new PointWindowPlan(image, Dims.of(roi), clicks, pointStart, profile, settings);
    }

    /**
     * @param snap 0, or the grid the start of a click-centred window snaps to (the click then lies within
     *             {@code r/2 ± snap/2} of the window's start instead of at its centre)
     */
    private static int[] axisStarts(double p, int r, int s, WindowSettings.PointWindowSettings settings, int snap) {
        int half = r / 2;
        int centre;
        if (p - half < 0) {
            centre = 0;
        } else if (p + half > s) {
            centre = s - r;
        } else {
            centre = (int) p - half;
            if (snap > 1) {
                centre = clamp((int) Math.round(centre / (double) snap) * snap, s - r);
            }
        }
        if (settings.centerOnly()) {
            return new int[] {centre};
        }
        double leftMost = Math.max(0, p - r + settings.margin());
        double rightMost = Math.min(s, p + r - settings.margin());
        return new int[] {clamp((int) leftMost, s - r), clamp((int) (rightMost - r), s - r), centre};
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(v, max));
    }

    public Dims image() {
        return image;
    }

    public Dims roi() {
        return roi;
    }

    /** Zero padding added before each axis. */
    public int[] padBefore() {
        return padBefore.clone();
    }

    /** Padded image size per axis. */
    public int[] paddedSize() {
        return padded.clone();
    }

    /** Windows in click order (the order the reference runs and, in parity, merges them). */
    public List<PointWindow> windows() {
        return windows;
    }

    /** The window's voxels of {@code volume} (on this plan's image grid), zero outside the image (§4.2 step 1). */
    public float[] extract(float[] volume, Window window) {
        return WindowCopy.extract(volume, image, window, false, 0f);
    }
}
