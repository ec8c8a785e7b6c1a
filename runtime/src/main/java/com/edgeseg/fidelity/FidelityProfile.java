package com.edgeseg.fidelity;

import java.util.Set;
import java.util.TreeSet;

/**
 * The few behaviours in which EdgeSeg may differ from the reference (MONAI 1.4.0 + bundle 0.5.4), as switches.
 *
 * <p>{@link #parity()} reproduces the reference, quirks included, so that results can be compared with the vectors
 * MONAI computed; {@link #product()} is the default and changes only behaviour that loses data, shifts clicks or
 * emits "not computed" voxels. Everything not listed here (rounding half-even, sigmoid thresholds,
 * argmax tie rule, click encoding) is the same in both profiles and is not a switch. Dense-window settings
 * (overlap, blending, padding) come from the model package's {@code window} node, whose defaults are the values the
 * bundle actually runs (§4.1, Q1/Q2).
 *
 * @param strictWindowInside      Q4: a click belongs to a window only if {@code 0 < local < size} (reference); product
 *                                uses {@code 0 <= local < size}, so a click on a window's first plane is not lost
 * @param windowsForIgnoredClicks Q5: ignore clicks (label -1) open a point window too (reference)
 * @param sumOverlappingWindows   Q6: overlapping point-window outputs are summed (reference) instead of averaged
 * @param referenceNaN            Q7, Q8, Q26: NaN means "not computed" and flows as in the reference: voxels outside
 *                                every click window are NaN (255) when there is no previous mask, NaN in a base stays
 *                                NaN through the merge, and a NaN channel wins the argmax. Product: outside the windows
 *                                the base (previous/auto result) is kept, NaN in a base is replaced by the point logits,
 *                                and a NaN that still reaches the label step becomes 255 explicitly
 * @param editInPlace             Q38: with a previous mask, each window merges into the result of the windows before it
 *                                (reference, click-order dependent); product merges every window into the original base
 * @param insideRule              Q9: which clicks on a positive base voxel let the point mask overlap the base
 * @param componentChoice         Q10: which component a click selects in the first non-empty cube around it
 * @param meanFillUnkeptComponents Q28: point-only keep step sets non-kept positive voxels to the mean of the other
 *                                logits (reference); product sets them to -1 (background)
 * @param specialIds              Q12: class ids whose clicks get the special labels 2/3
 * @param lattice                 the dense window grid: the reference's (foreground crop and windows planned from the
 *                                whole volume, MONAI's window order) or one that a streaming series can run as its
 *                                slices arrive (no foreground crop, windows anchored on the first slice along the
 *                                slice normal, run in slice order); batch uses the same, so batch and streaming are
 *                                one computation
 * @param fastClickWindows        click windows take the package's {@code window.point_window.roi} where it has one (a
 *                                window sized for click speed) and their starts snap to a grid of a quarter window, so
 *                                that clicks near each other share one encoded window (docs/fidelity.md, "Click
 *                                windows"); the reference centres a dense-roi window on every click
 */
public record FidelityProfile(
        String name,
        boolean strictWindowInside,
        boolean windowsForIgnoredClicks,
        boolean sumOverlappingWindows,
        boolean referenceNaN,
        boolean editInPlace,
        InsideRule insideRule,
        ComponentChoice componentChoice,
        boolean meanFillUnkeptComponents,
        Set<Integer> specialIds,
        Lattice lattice,
        boolean fastClickWindows) {

    /** Q9: which clicks decide that the base is "hit", letting the whole point component replace it. */
    public enum InsideRule {
        /** any click (positive or negative) on a base voxel with logit > 0: the reference code */
        ANY_CLICK,
        /** only positive clicks (labels 1/3): the paper's Algorithm 1 */
        POSITIVE_CLICKS
    }

    /** Q10: which component a click selects among those found in the first non-empty cube (half-size 0, 1, 2). */
    public enum ComponentChoice {
        /** the highest label id (raster-order labelling): the reference code */
        MAX_ID,
        /** the component with the voxel nearest to the rounded click (ties: lowest id) */
        NEAREST
    }

    /** The dense window grid and the preprocessing crop it implies. */
    public enum Lattice {
        /**
         * MONAI's: the image is cropped to its foreground (HU above the threshold, plus a margin) computed over the
         * whole resampled volume, windows are planned on that crop and run in C order (§3.1 step 5, §4.1)
         */
        REFERENCE,
        /**
         * Streaming-stable: no foreground crop (it would depend on slices not yet seen); along the stream axis the
         * windows start at the series' first slice with the reference's stride and the last one is aligned to the
         * series' end; windows run stream axis slowest, in slice order
         */
        STREAMING
    }

    /** Network/training special list (MONAI {@code convert_point_label}). */
    public static final Set<Integer> NETWORK_SPECIAL_IDS = Set.of(23, 24, 25, 26, 27, 57, 128);
    /** The bundle pre-transform's default list (MONAI {@code VistaPreTransformd}), the one the bundle runs. */
    public static final Set<Integer> BUNDLE_SPECIAL_IDS = Set.of(25, 26, 27, 28, 29, 117);

    public FidelityProfile {
        if (name == null || insideRule == null || componentChoice == null || specialIds == null || lattice == null) {
            throw new IllegalArgumentException("fidelity profile fields must not be null");
        }
        specialIds = Set.copyOf(specialIds);
    }

    /** The reference behaviour, every §8 quirk of the windows, merge and post-processing included. */
    public static FidelityProfile parity() {
        return new FidelityProfile("parity", true, true, true, true, true,
                InsideRule.ANY_CLICK, ComponentChoice.MAX_ID, true, BUNDLE_SPECIAL_IDS, Lattice.REFERENCE, false);
    }

    /** What EdgeSeg ships: see the record's parameters for each difference. */
    public static FidelityProfile product() {
        return new FidelityProfile("product", false, false, false, false, false,
                InsideRule.POSITIVE_CLICKS, ComponentChoice.NEAREST, false, NETWORK_SPECIAL_IDS, Lattice.STREAMING, true);
    }

    /** {@code "parity"} or {@code "product"} (case-insensitive), e.g. from a command-line flag. */
    public static FidelityProfile named(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (n) {
            case "parity" -> parity();
            case "product" -> product();
            default -> throw new UnknownFidelityProfileException(
                    "fidelity profile '" + name + "': expected \"parity\" or \"product\"");
        };
    }

    /** True for the special-class list of this profile. */
    public boolean isSpecial(int classId) {
        return specialIds.contains(classId);
    }

    @Override
    public String toString() {
        return name + "{strictWindowInside=" + strictWindowInside + ", windowsForIgnoredClicks=" + windowsForIgnoredClicks
                + ", sumOverlappingWindows=" + sumOverlappingWindows + ", referenceNaN=" + referenceNaN
                + ", editInPlace=" + editInPlace + ", insideRule=" + insideRule + ", componentChoice=" + componentChoice
                + ", meanFillUnkeptComponents=" + meanFillUnkeptComponents + ", specialIds=" + new TreeSet<>(specialIds) + ", lattice=" + lattice + "}";
    }
}
