package com.edgeseg.sdk;

/**
 * Where a scanner will put a series' slices, announced before the first one: the ImagePositionPatient of the
 * slice it acquires first and the signed distance along the slice normal (row direction × column direction) from
 * one acquired slice to the next. A head-first axial scan that starts at the head runs against the normal, so its
 * step is negative. With {@link SeriesHeader#expectedSlices()} this fixes the series grid before any pixel arrives,
 * and the study segments window by window while later slices are still coming ({@link StudyEvent.SlabMask} during
 * acquisition); slices must then lie on the plan (within 5 % of a step).
 *
 * @param firstPosition ImagePositionPatient of the first acquired slice (LPS, mm)
 * @param stepMm        signed slice step along the normal (mm), not 0
 */
public record SlicePlan(double[] firstPosition, double stepMm) {
    public SlicePlan {
        firstPosition = firstPosition == null ? null : firstPosition.clone();
    }

    @Override
    public double[] firstPosition() {
        return firstPosition == null ? null : firstPosition.clone();
    }
}
