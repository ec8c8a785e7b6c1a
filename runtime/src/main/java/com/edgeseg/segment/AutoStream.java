package com.edgeseg.segment;

import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.Dims;
import com.edgeseg.network.EncodedWindow;
import com.edgeseg.network.Vista3dNetwork;
import com.edgeseg.postprocess.ArgmaxAccumulator;
import com.edgeseg.preprocess.EmptyForegroundException;
import com.edgeseg.preprocess.GridPlan;
import com.edgeseg.preprocess.Inverse;
import com.edgeseg.preprocess.PreprocessingSettings;
import com.edgeseg.preprocess.SlabFill;
import com.edgeseg.stage.AutoPass;
import com.edgeseg.stage.FeatureSlab;
import com.edgeseg.stage.StageTimings;
import com.edgeseg.volume.LabelSlab;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.volume.Volume;
import com.edgeseg.window.Slab;
import com.edgeseg.window.SlidingWindowPlan;
import com.edgeseg.window.Window;
import java.util.ArrayList;
import java.util.List;

/**
 * The automatic segmentation of one series (§3.1, §4.1, argmax of §3.3, inverse) as the stages a streaming
 * pipeline drives: slices go in as they arrive ({@link #acceptSlice}); a window is ready as soon as every network
 * plane it covers is filled ({@link #nextReadyWindow}); each window runs encoder, auto head and stitching
 * ({@link #runWindow}); and the series-grid slabs that no later window touches come back at once. The batch
 * {@link Segmenter} runs the same object over a whole volume, so batch and streaming are one computation: the
 * windows always run in the lattice's order, whatever order the slices came in.
 *
 * <p>Not thread-safe. A study actor calls {@link #acceptSlice} and {@link #nextReadyWindow} on its thread and
 * {@link #runWindow} as a device job, never two at once; the messages between them order the accesses. Holds no
 * native memory (the engines belong to the {@link Segmenter}).
 */
public final class AutoStream {
    private final Vista3dNetwork network;
    private final GridPlan grid;
    private final PreprocessingSettings settings;
    private final SlabFill fill;
    private final SlidingWindowPlan lattice;
    private final AutoPass pass;
    private final List<Integer> ids;
    private final java.util.Map<Integer, String> names;
    private final ArgmaxAccumulator labels;
    private final Inverse inverse;
    private final Dims net;
    private final int axis;
    private final boolean[] planeFilled;
    private final StageTimings timings = new StageTimings();
    private final List<LabelSlab> decided = new ArrayList<>();
    private int windowsDone;

    AutoStream(Vista3dNetwork network, GridPlan grid, PreprocessingSettings settings,
               com.edgeseg.window.WindowSettings windows, FidelityProfile profile, List<Integer> ids,
               java.util.Map<Integer, String> names) {
        if (grid.lattice() != FidelityProfile.Lattice.STREAMING) {
            throw new IllegalArgumentException("an auto stream needs the streaming lattice's grid");
        }
        this.network = network;
        this.grid = grid;
        this.settings = settings;
        this.ids = List.copyOf(ids);
        this.names = java.util.Map.copyOf(names);
        this.fill = new SlabFill(grid, settings);
        this.lattice = grid.windows(windows);
        this.net = grid.networkDims();
        this.axis = grid.streamOrder().axis();
        this.planeFilled = new boolean[net.get(axis)];
        this.labels = new ArgmaxAccumulator(profile, net.voxelCount(), ids.size());
        this.inverse = new Inverse(grid);
        long[] classIds = this.ids.stream().mapToLong(Integer::longValue).toArray();
        this.pass = new AutoPass(network, lattice, classIds, this::decide, timings);
    }

    /** The grid this stream fills (series grid, network grid and the window lattice on top). */
    public GridPlan grid() {
        return grid;
    }

    public int windowCount() {
        return lattice.windows().size();
    }

    public int windowsDone() {
        return windowsDone;
    }

    /** Where the stream's time went so far (auto head, stitching, encoder, fill). */
    public StageTimings timings() {
        return timings;
    }

    /**
     * Places slice {@code k} of the series (a plane along the series' axis 2, C order over axes 0 and 1, HU) and
     * fills every network plane it completes.
     *
     * @throws IllegalArgumentException for a slice outside the series, a repeated one or a wrong size
     */
    public void acceptSlice(int k, float[] pixels) {
        int[] done = timings.time("fill", () -> fill.accept(k, pixels));
        for (int p : done) {
            planeFilled[p] = true;
        }
    }

    /** Every slice of {@code series} (the whole series as one volume on the grid's series geometry), in order. */
    public void acceptAll(Volume series) {
        timings.time("fill", () -> {
            fill.acceptAll(series);
            return null;
        });
        if (!fill.complete()) {
            throw new IllegalStateException("the series did not fill every network plane");
        }
        java.util.Arrays.fill(planeFilled, true);
    }

    /**
     * The window to run next, if every network plane it covers is filled; null while it waits for slices or when
     * every window has run.
     */
    public Window nextReadyWindow() {
        Window w = pass.nextWindow();
        if (w == null) {
            return null;
        }
        int from = Math.max(0, w.origin(axis));
        int to = Math.min(planeFilled.length, w.end(axis));
        for (int p = from; p < to; p++) {
            if (!planeFilled[p]) {
                return null;
            }
        }
        return w;
    }

    /** True when the next window waits for slices, false when it could run or none is left. */
    public boolean waitingForSlices() {
        return pass.nextWindow() != null && nextReadyWindow() == null;
    }

    /**
     * Runs window {@code w} (the one {@link #nextReadyWindow()} returned): encoder, auto head, stitching, argmax;
     * returns the series-grid slabs along the series' axis 2 that became final, in slice order (often none).
     *
     * @throws EmptyForegroundException after the last window when the whole series had no voxel above the
     *         foreground threshold (§8 Q17), as the batch preprocessing refuses it
     */
    public List<LabelSlab> runWindow(Window w) {
        Window expected = nextReadyWindow();
        if (expected == null || expected.index() != w.index()) {
            throw new IllegalStateException("window " + w + " is not the next ready window (" + expected + ")");
        }
        float[] patch = timings.time("window", () -> fill.extract(lattice, w));
        try (EncodedWindow encoded = timings.time("encoder", () -> network.encode(patch, w))) {
            pass.accept(encoded);
        }
        windowsDone++;
        if (finished()) {
            requireForeground();
        }
        List<LabelSlab> out = List.copyOf(decided);
        decided.clear();
        return out;
    }

    /**
     * Refuses a series without tissue, as the batch preprocessing does (§8 Q17); meaningful once every slice is in.
     *
     * @throws EmptyForegroundException when no resampled voxel exceeds the foreground threshold
     */
    public void requireForeground() {
        if (!fill.foregroundSeen()) {
            throw new EmptyForegroundException("no voxel of the resampled image (" + grid.resampledDims()
                    + ") is above the foreground threshold " + settings.foreground().threshold() + " (largest value "
                    + fill.maxValue() + "); expected a CT in Hounsfield units with some tissue above "
                    + settings.foreground().threshold() + " HU");
        }
    }

    /** True once every window has run (and so every slice is final). */
    public boolean finished() {
        return pass.finished() && inverse.complete();
    }

    /** The label map on the series grid, once {@link #finished()}. */
    public LabelVolume result() {
        return inverse.result();
    }

    /** What each label of {@code labels} (a result of this stream) means, for the labels present. */
    public java.util.Map<Integer, String> classesIn(LabelVolume labels) {
        boolean[] present = new boolean[256];
        for (int v = 0; v < labels.dims().voxelCount(); v++) {
            present[labels.getFlat(v)] = true;
        }
        java.util.Map<Integer, String> out = new java.util.TreeMap<>();
        for (int id = 1; id < 256; id++) {
            if (present[id]) {
                out.put(id, id == LabelVolume.NOT_COMPUTED ? "not computed" : names.getOrDefault(id, "class " + id));
            }
        }
        return out;
    }

    /** A stitched slab: argmax over the classes, then onto the series grid as far as it decides series slices. */
    private void decide(FeatureSlab scored) {
        Slab slab = scored.features();
        timings.time("post-process", () -> {
            labels.fold(slab, scored.embeddings(), ids, net);
            return null;
        });
        LabelSlab netSlab = new LabelSlab(slab.axis(), slab.firstPlane(), slab.dims(), labels.labelsOf(slab, net));
        decided.addAll(timings.time("inverse", () -> inverse.accept(netSlab)));
    }
}
