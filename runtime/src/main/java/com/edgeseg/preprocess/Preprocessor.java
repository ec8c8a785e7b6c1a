package com.edgeseg.preprocess;

import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.geometry.VoxelIndex;
import com.edgeseg.volume.Volume;

/**
 * Turns a CT as loaded (HU, original grid, RAS+ affine) into the network's input (§3.1): resample to the
 * target spacing (MONAI {@code Spacingd}), crop to the foreground (HU above the threshold, with margin),
 * scale the intensity window to [0, 1] in float32, and permute/flip the axes to the target orientation.
 * The result remembers every step so masks and clicks can be mapped both ways. A batch client of the stages a
 * streaming pipeline drives: {@link GridPlan} (the grid, from the whole volume in the reference lattice or from the
 * series geometry in the streaming one, which does not crop) and {@link SlabFill} (slice by slice).
 * Thread-safe (stateless).
 */
public final class Preprocessor {
    /** Largest |cosine| between two direction columns that still counts as orthogonal. */
    public static final double MAX_DIRECTION_COSINE = 1e-4;

    private final PreprocessingSettings settings;
    private final FidelityProfile.Lattice lattice;

    /** The reference grid (foreground crop), as the bundle preprocesses. */
    public Preprocessor(PreprocessingSettings settings) {
        this(settings, FidelityProfile.Lattice.REFERENCE);
    }

    /** Preprocessing onto the grid of {@code lattice} (the streaming lattice does not crop). */
    public Preprocessor(PreprocessingSettings settings, FidelityProfile.Lattice lattice) {
        if (settings == null) {
            throw new InvalidPreprocessingSettingsException("preprocessing settings are required");
        }
        this.settings = settings;
        this.lattice = lattice;
    }

    public PreprocessingSettings settings() {
        return settings;
    }

    /**
     * The network grid of {@code ct}: from its geometry alone in the streaming lattice, from its resampled
     * foreground in the reference one.
     *
     * @throws InvalidImageException for NaN/infinite voxels, a singular or sheared affine
     * @throws EmptyForegroundException (reference) when no resampled voxel exceeds the foreground threshold (§8 Q17)
     */
    public GridPlan plan(Volume ct) {
        checkFinite(ct);
        checkDirections(ct.geometry());
        if (lattice == FidelityProfile.Lattice.STREAMING) {
            return GridPlan.streaming(ct.geometry(), settings);
        }
        SpacingPlan plan = SpacingPlan.of(ct.geometry(), settings.spacingMm(), settings.keepSpacingToleranceMm());
        Volume spaced = ct;
        if (plan.resampled()) {
            Dims out = plan.target().dims();
            float[] data = settings.imageInterpolation() == PreprocessingSettings.Interpolation.BILINEAR
                    ? Resampling.trilinear(ct, out, plan.sourceOfTarget())
                    : Resampling.nearest(ct, out, plan.sourceOfTarget());
            spaced = Volume.wrap(plan.target(), data);
        }
        return GridPlan.reference(ct.geometry(), plan, foregroundBox(spaced), settings);
    }

    /**
     * Preprocesses {@code ct}: plans its grid and fills it slice by slice with {@link SlabFill}, the stage a
     * streaming pipeline drives with slices as they arrive.
     *
     * @throws InvalidImageException for NaN/infinite voxels, a singular or sheared affine
     * @throws EmptyForegroundException when no resampled voxel exceeds the foreground threshold (§8 Q17)
     */
    public PreprocessedImage preprocess(Volume ct) {
        GridPlan grid = plan(ct);
        SlabFill fill = new SlabFill(grid, settings);
        fill.acceptAll(ct);
        if (!fill.foregroundSeen()) {
            throw emptyForeground(grid.resampledDims(), fill.maxValue());
        }
        return new PreprocessedImage(grid, fill.take());
    }

    private EmptyForegroundException emptyForeground(Dims resampled, float max) {
        return new EmptyForegroundException("no voxel of the resampled image (" + resampled + ") is above the "
                + "foreground threshold " + settings.foreground().threshold() + " (largest value " + max
                + "); expected a CT in Hounsfield units with some tissue above " + settings.foreground().threshold()
                + " HU");
    }

    private static void checkFinite(Volume v) {
        Dims d = v.dims();
        int n = d.voxelCount();
        long bad = 0;
        int first = -1;
        for (int p = 0; p < n; p++) {
            if (!Float.isFinite(v.getFlat(p))) {
                if (first < 0) {
                    first = p;
                }
                bad++;
            }
        }
        if (bad > 0) {
            int i = first / (d.n1() * d.n2());
            int j = (first / d.n2()) % d.n1();
            int k = first % d.n2();
            throw new InvalidImageException(bad + " of " + n + " voxels are NaN or infinite (first at voxel (" + i + ", " + j + ", " + k
                    + ") = " + v.getFlat(first) + "); expected finite intensities in HU");
        }
        if (n == 0) {
            throw new InvalidImageException("image has no voxels (" + d + "); expected a non-empty 3-D volume");
        }
    }

    private static void checkDirections(Geometry g) {
        Affine a = g.indexToWorld();
        double[] norm = new double[3];
        for (int c = 0; c < 3; c++) {
            norm[c] = a.columnNorm(c);
            if (!(norm[c] > 0) || !Double.isFinite(norm[c])) {
                throw new InvalidImageException("image affine column " + c + " has length " + norm[c]
                        + "; expected a positive voxel spacing (affine " + a + ")");
            }
        }
        for (int p = 0; p < 3; p++) {
            for (int q = p + 1; q < 3; q++) {
                double dot = 0;
                for (int r = 0; r < 3; r++) {
                    dot += a.get(r, p) * a.get(r, q);
                }
                double cos = dot / (norm[p] * norm[q]);
                if (Math.abs(cos) > MAX_DIRECTION_COSINE) {
                    throw new InvalidImageException(String.format(
                            "image axes %d and %d are not orthogonal (cosine %.3g, limit %.0e): sheared geometry is not supported; "
                                    + "expected orthogonal direction columns (affine %s)", p, q, cos, MAX_DIRECTION_COSINE, a));
                }
            }
        }
    }

    private CropBox foregroundBox(Volume v) {
        Dims d = v.dims();
        float threshold = (float) settings.foreground().threshold();
        int[] mn = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
        int[] mx = {-1, -1, -1};
        float max = Float.NEGATIVE_INFINITY;
        int p = 0;
        for (int i = 0; i < d.n0(); i++) {
            for (int j = 0; j < d.n1(); j++) {
                for (int k = 0; k < d.n2(); k++) {
                    float x = v.getFlat(p++);
                    if (x > max) {
                        max = x;
                    }
                    if (x > threshold) {
                        if (i < mn[0]) mn[0] = i;
                        if (i > mx[0]) mx[0] = i;
                        if (j < mn[1]) mn[1] = j;
                        if (j > mx[1]) mx[1] = j;
                        if (k < mn[2]) mn[2] = k;
                        if (k > mx[2]) mx[2] = k;
                    }
                }
            }
        }
        if (mx[0] < 0) {
            throw emptyForeground(d, max);
        }
        int m = settings.foreground().margin();
        int[] start = new int[3];
        int[] size = new int[3];
        for (int a = 0; a < 3; a++) {
            start[a] = Math.max(mn[a] - m, 0);
            int end = (int) Math.min((long) mx[a] + m + 1, d.get(a));
            size[a] = end - start[a];
        }
        return new CropBox(new VoxelIndex(start[0], start[1], start[2]), Dims.of(size));
    }
}
