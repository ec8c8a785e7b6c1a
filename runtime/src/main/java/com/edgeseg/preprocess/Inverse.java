package com.edgeseg.preprocess;

import com.edgeseg.geometry.Dims;
import com.edgeseg.volume.LabelSlab;
import com.edgeseg.volume.LabelVolume;
import java.util.ArrayList;
import java.util.List;

/**
 * The inverse of preprocessing (§3.1 "Inverse") slab by slab: takes finished network-space label slabs along the
 * grid's stream axis and returns the original-grid slices whose labels are then decided, as soon as every network
 * plane they draw on has arrived. The slices are those of the original axis the stream axis comes from (the series'
 * slice axis in the streaming lattice), so a pipeline can emit masks on the scanner's grid while later slabs are
 * still being computed. Voxel for voxel the same as {@link GridPlan#toOriginal(LabelVolume)}.
 */
public final class Inverse {
    private final GridPlan grid;
    private final int axis;
    private final int originalAxis;
    private final Dims net;
    private final Dims original;
    private final byte[] netLabels;
    private final boolean[] planeDone;
    private final int[][] needs;
    private final boolean[] emitted;
    private final byte[] result;
    private int emittedCount;

    public Inverse(GridPlan grid) {
        this.grid = grid;
        this.axis = grid.streamOrder().axis();
        this.originalAxis = grid.resampledAxisOf(axis);
        this.net = grid.networkDims();
        this.original = grid.originalGeometry().dims();
        this.netLabels = new byte[net.voxelCount()];
        this.planeDone = new boolean[net.get(axis)];
        this.needs = grid.networkPlanesOfOriginalSlices(axis);
        this.emitted = new boolean[original.get(originalAxis)];
        this.result = new byte[original.voxelCount()];
    }

    /** The original axis whose slices {@link #accept} returns. */
    public int originalAxis() {
        return originalAxis;
    }

    /**
     * Takes network planes along the stream axis (each at most once) and returns the original-grid slabs along
     * {@link #originalAxis()} that they complete, in increasing slice order (empty when none is complete yet).
     */
    public List<LabelSlab> accept(LabelSlab networkSlab) {
        if (networkSlab.axis() != axis) {
            throw new IllegalArgumentException("slab along axis " + networkSlab.axis() + ", the grid streams along "
                    + axis);
        }
        int from = networkSlab.firstPlane();
        int to = from + networkSlab.planes();
        for (int p = from; p < to; p++) {
            if (p < 0 || p >= planeDone.length || planeDone[p]) {
                throw new IllegalArgumentException("network plane " + p + " is outside 0.." + (planeDone.length - 1)
                        + " or was given twice");
            }
        }
        java.util.Arrays.fill(planeDone, from, to, true);
        networkSlab.copyInto(netLabels, net);
        List<LabelSlab> out = new ArrayList<>();
        int t = 0;
        while (t < emitted.length) {
            if (emitted[t] || !ready(t)) {
                t++;
                continue;
            }
            int run = t;
            while (t < emitted.length && !emitted[t] && ready(t)) {
                emitted[t++] = true;
            }
            out.add(region(run, t));
        }
        emittedCount += out.stream().mapToInt(LabelSlab::planes).sum();
        return out;
    }

    /** True once every original slice has been returned. */
    public boolean complete() {
        return emittedCount == emitted.length;
    }

    /** The whole original-grid label map (complete once {@link #complete()}). */
    public LabelVolume result() {
        if (!complete()) {
            throw new IllegalStateException(emittedCount + " of " + emitted.length + " original slices are decided");
        }
        return LabelVolume.wrap(grid.originalGeometry(), result.clone());
    }

    private boolean ready(int t) {
        for (int p = needs[t][0]; p < needs[t][1]; p++) {
            if (!planeDone[p]) {
                return false;
            }
        }
        return true;
    }

    private LabelSlab region(int from, int to) {
        int[] lo = {0, 0, 0};
        int[] hi = original.toArray();
        lo[originalAxis] = from;
        hi[originalAxis] = to;
        int[] size = original.toArray();
        size[originalAxis] = to - from;
        Dims d = Dims.of(size);
        byte[] labels = new byte[d.voxelCount()];
        grid.fillOriginal(netLabels, lo, hi, labels);
        LabelSlab slab = new LabelSlab(originalAxis, from, d, labels);
        slab.copyInto(result, original);
        return slab;
    }
}
