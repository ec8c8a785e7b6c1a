package com.edgeseg.actors.study;

import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.volume.Volume;

/**
 * The two grids of a series. The <em>scanner grid</em> is public: slices sorted by position along the normal,
 * whatever order they came in (masks, clicks and the ledger use it). The <em>acquisition grid</em> is what the
 * automatic segmentation streams along: slice 0 is the slice the scanner acquires first, so the streaming lattice is
 * anchored there and windows run while later slices are still coming. Without a slice plan in the header the two
 * are the same grid and it is known only at the end of the series; with one, the acquisition grid is known from the
 * header alone, and it runs against the normal when the step is negative (a head-first scan from the head).
 *
 * <p>Every path that segments automatically (the study's stream, its whole-volume fallback, ledger replay) goes
 * through the acquisition grid, so they are one computation.
 */
public final class SeriesGrid {
    private final SeriesSpec spec;
    private final Geometry acquisition;

    public SeriesGrid(SeriesSpec spec) {
        this.spec = spec;
        this.acquisition = spec.planned() ? plannedGeometry(spec) : null;
    }

    public boolean planned() {
        return acquisition != null;
    }

    /** Whether acquisition slice a is scanner slice n - 1 - a. */
    public boolean descending() {
        return spec.descending();
    }

    /** The acquisition grid of a planned series (RAS+ like NIfTI: DICOM's LPS x and y negated). */
    public Geometry acquisitionGeometry() {
        if (acquisition == null) {
            throw new IllegalStateException("the series has no slice plan; its grid is known at the end of the series");
        }
        return acquisition;
    }

    private static Geometry plannedGeometry(SeriesSpec s) {
        double[] rd = s.rowDirection();
        double[] cd = s.colDirection();
        double[] normal = s.normal();
        double[] first = s.firstPosition();
        double[] linear = new double[9];
        double[] origin = new double[3];
        for (int a = 0; a < 3; a++) {
            double flip = a < 2 ? -1 : 1;
            linear[a * 3] = flip * rd[a] * s.colSpacing() + 0.0;
            linear[a * 3 + 1] = flip * cd[a] * s.rowSpacing() + 0.0;
            linear[a * 3 + 2] = flip * normal[a] * s.sliceStepMm() + 0.0;
            origin[a] = flip * first[a] + 0.0;
        }
        return Geometry.of(new Dims(s.cols(), s.rows(), s.expectedSlices().getAsInt()), Affine.of(linear, origin));
    }

    /** The scanner slice of acquisition slice {@code a} in a series of {@code n} slices. */
    public int scannerSlice(int a, int n) {
        return descending() ? n - 1 - a : a;
    }

    /** The scanner-grid series as the automatic segmentation sees it (itself when there is no plan). */
    public Volume toAcquisition(Volume scanner) {
        if (acquisition == null) {
            return scanner;
        }
        float[] data = scanner.toArray();
        return Volume.wrap(acquisition, descending() ? flipSlices(data, scanner.dims()) : data);
    }

    /** An acquisition-grid label map (or a slab of one) back on the scanner grid {@code scanner}'s geometry. */
    public LabelVolume toScanner(LabelVolume acquired, Geometry scanner) {
        byte[] data = acquired.toArray();
        return LabelVolume.wrap(scanner, descending() ? flipSlices(data, acquired.dims()) : data);
    }

    static float[] flipSlices(float[] v, Dims d) {
        float[] out = new float[v.length];
        int n = d.n2();
        for (int r = 0; r < d.n0() * d.n1(); r++) {
            for (int k = 0; k < n; k++) {
                out[r * n + k] = v[r * n + n - 1 - k];
            }
        }
        return out;
    }

    static byte[] flipSlices(byte[] v, Dims d) {
        byte[] out = new byte[v.length];
        int n = d.n2();
        for (int r = 0; r < d.n0() * d.n1(); r++) {
            for (int k = 0; k < n; k++) {
                out[r * n + k] = v[r * n + n - 1 - k];
            }
        }
        return out;
    }
}
