package com.edgeseg.segment;

import com.edgeseg.engine.EngineOptions;
import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.Dims;
import com.edgeseg.network.EncoderCache;
import com.edgeseg.network.Vista3dNetwork;
import com.edgeseg.pkg.ClassInfo;
import com.edgeseg.pkg.ModelPackage;
import com.edgeseg.postprocess.ArgmaxAccumulator;
import com.edgeseg.preprocess.GridPlan;
import com.edgeseg.preprocess.Inverse;
import com.edgeseg.preprocess.PreprocessedImage;
import com.edgeseg.preprocess.PreprocessingSettings;
import com.edgeseg.preprocess.Preprocessor;
import com.edgeseg.prompt.ClassTable;
import com.edgeseg.prompt.PromptResolver;
import com.edgeseg.prompt.ResolvedPrompt;
import com.edgeseg.stage.MergeObserver;
import com.edgeseg.stage.PointPrompt;
import com.edgeseg.stage.StageTimings;
import com.edgeseg.volume.LabelSlab;
import com.edgeseg.volume.LabelVolume;
import com.edgeseg.volume.Volume;
import com.edgeseg.window.Click;
import com.edgeseg.window.SlidingWindowPlan;
import com.edgeseg.window.Window;
import com.edgeseg.window.WindowSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Segments a CT volume with one model package: the bundle's preprocessing (§3.1), the automatic or click
 * inferer (§3.2-§4.2), post-processing (§3.3) and the exact inverse onto the input grid. A batch client of the
 * per-window stages ({@code GridPlan}, {@code SlabFill}, {@code AutoPass}, {@code PointPass}, {@code Inverse}) that
 * a streaming pipeline drives slice by slice; with the product profile's streaming lattice both are one computation.
 * Holds the engines' native sessions: open once, segment many volumes, close. Thread-safe: calls from several
 * threads run concurrently where the engines allow (encoders) and take turns on the heads, and give the labels
 * sequential calls give; {@link #close()} waits for running engine calls, and later calls fail.
 *
 * <pre>{@code
 * try (ModelPackage pkg = ModelPackage.open(dir);
 *      Segmenter segmenter = Segmenter.open(pkg, EngineOptions.defaults(), FidelityProfile.product())) {
 *     SegmentationResult r = segmenter.segment(ct, SegmentationRequest.auto(List.of("liver")), ProgressListener.NONE);
 * }
 * }</pre>
 */
public final class Segmenter implements AutoCloseable {
    private final Vista3dNetwork network;
    private final Preprocessor preprocessor;
    private final NetworkSpacePipeline pipeline;
    private final ClassTable classes;
    private final WindowSettings windows;
    private final PromptResolver prompts;
    private final FidelityProfile profile;

    private Segmenter(Vista3dNetwork network, Preprocessor preprocessor, NetworkSpacePipeline pipeline,
                      ClassTable classes, WindowSettings windows, FidelityProfile profile) {
        this.windows = windows;
        this.network = network;
        this.preprocessor = preprocessor;
        this.pipeline = pipeline;
        this.classes = classes;
        this.profile = profile;
        this.prompts = new PromptResolver(classes, profile.specialIds());
    }

    /** Opens the package's engines; the package's manifest supplies preprocessing, window and class settings. */
    public static Segmenter open(ModelPackage pkg, EngineOptions options, FidelityProfile profile) {
        PreprocessingSettings prep = PreprocessingSettings.fromJson(pkg.manifest().preprocessing());
        WindowSettings windows = WindowSettings.fromJson(pkg.manifest().window());
        ClassTable table = classTable(pkg.manifest().classes());
        Vista3dNetwork network = Vista3dNetwork.open(pkg, options);
        try {
            return new Segmenter(network, new Preprocessor(prep, profile.lattice()), new NetworkSpacePipeline(network, windows, profile),
                    table, windows, profile);
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    static ClassTable classTable(List<ClassInfo> infos) {
        List<ClassTable.Entry> entries = new ArrayList<>();
        List<Integer> everything = new ArrayList<>();
        int lastSupported = 0;
        for (ClassInfo c : infos) {
            entries.add(new ClassTable.Entry(c.id(), c.name(), c.legacy(), c.group()));
            if (c.everything()) {
                everything.add(c.id());
            }
            lastSupported = Math.max(lastSupported, c.id());
        }
        everything.sort(Integer::compare);
        return new ClassTable(entries, everything, lastSupported);
    }

    public ClassTable classes() {
        return classes;
    }

    public FidelityProfile profile() {
        return profile;
    }

    /** The network-space inferers of this segmenter, for conformance checks against reference vectors. */
    public NetworkSpacePipeline pipeline() {
        return pipeline;
    }

    /**
     * Segments {@code ct} (HU, any orthogonal orientation) as {@code request} asks and returns labels on the
     * input grid. Bad requests fail before any inference with a typed {@link com.edgeseg.EdgeSegException}.
     */
    public SegmentationResult segment(Volume ct, SegmentationRequest request, ProgressListener progress) {
        return segment(ct, request, progress, null);
    }

    /**
     * A session for many click edits of one volume: the volume is preprocessed once, and the click windows' encoder
     * outputs are kept (up to {@code cacheBytes}) so that a click in a window already encoded runs the point head
     * only. Its results are exactly {@link #segment}'s for the same requests (a ledger replays them without it).
     */
    public ClickSession clickSession(Volume ct, long cacheBytes) {
        return new ClickSession(this, ct, cacheBytes);
    }

    /** Preprocessed volume + encoder cache of a {@link ClickSession}, or null for a one-off call. */
    record Prepared(PreprocessedImage pre, EncoderCache cache) {}

    PreprocessedImage preprocess(Volume ct) {
        return preprocessor.preprocess(ct);
    }

    SegmentationResult segment(Volume ct, SegmentationRequest request, ProgressListener progress, Prepared prepared) {
        StageTimings timings = new StageTimings();
        boolean hasClicks = !request.clicks().isEmpty();
        ResolvedPrompt prompt = prompts.resolve(request.classes(), hasClicks);
        NetworkClicks.checkInsideVolume(ct.dims(), request.clicks());
        if (request.previous().isPresent()) {
            checkPrevious(ct, request, prompt);
        }
        LabelVolume labels;
        if (!hasClicks && profile.lattice() == FidelityProfile.Lattice.STREAMING) {
            labels = streamAuto(ct, prompt.autoClassIds(), progress, timings);
        } else {
            PreprocessedImage pre = prepared != null ? prepared.pre()
                    : timings.time("preprocess", () -> preprocessor.preprocess(ct));
            progress.progress("preprocessed to " + pre.image().dims(), 1, 1);
            labels = hasClicks ? clicks(pre, request, prompt, progress, timings, prepared == null ? null : prepared.cache())
                    : auto(pre, prompt.autoClassIds(), progress, timings);
        }
        Map<Integer, String> names = new TreeMap<>();
        boolean[] present = new boolean[256];
        for (int v = 0; v < labels.dims().voxelCount(); v++) {
            present[labels.getFlat(v)] = true;
        }
        for (int id = 1; id < 256; id++) {
            if (present[id]) {
                names.put(id, labelName(id, prompt, hasClicks));
            }
        }
        return new SegmentationResult(labels, names, timings);
    }

    private Map<Integer, String> namesOf(List<Integer> ids) {
        Map<Integer, String> out = new TreeMap<>();
        for (int id : ids) {
            out.put(id, classes.byId(id).map(ClassTable.Entry::name).orElse("class " + id));
        }
        return out;
    }

    /** What a label of this call means: clicks without a class write 1 for "the clicked object", not liver. */
    private String labelName(int id, ResolvedPrompt prompt, boolean hasClicks) {
        if (id == LabelVolume.NOT_COMPUTED) {
            return "not computed";
        }
        if (hasClicks && prompt.objectId().isEmpty() && id == 1) {
            return "clicked object";
        }
        if (id > classes.lastSupported()) {
            return "zero-shot object";
        }
        return classes.byId(id).map(ClassTable.Entry::name).orElse("class " + id);
    }

    /**
     * The automatic segmentation of a series fed slice by slice, in stages ({@link AutoStream}): what a streaming
     * study runs as slices arrive. Pure geometry and settings; the engines run only in {@link AutoStream#runWindow}.
     *
     * @param series  the series grid (axis 2 = the order slices are acquired in: the lattice is anchored on slice 0)
     * @param classes names or ids to segment; empty = the package's everything set
     * @throws com.edgeseg.prompt.InvalidPromptException for an unknown class
     * @throws IllegalStateException under a profile whose lattice needs the whole volume (reference)
     */
    public AutoStream autoStream(com.edgeseg.geometry.Geometry series, List<String> classes) {
        if (profile.lattice() != FidelityProfile.Lattice.STREAMING) {
            throw new IllegalStateException("profile " + profile.name() + " plans its windows from the whole volume; "
                    + "a stream needs the streaming lattice");
        }
        List<Integer> ids = prompts.resolve(classes, false).autoClassIds();
        return new AutoStream(network, GridPlan.streaming(series, preprocessor.settings()), preprocessor.settings(),
                windows, profile, ids, namesOf(ids));
    }

    /**
     * Batch automatic segmentation through the streaming stages: every slice in, then every window in lattice
     * order, all classes in one pass (the blend is of the C auto features, whatever the number of classes).
     */
    private LabelVolume streamAuto(Volume ct, List<Integer> ids, ProgressListener progress, StageTimings timings) {
        GridPlan grid = timings.time("preprocess", () -> preprocessor.plan(ct));
        AutoStream stream = new AutoStream(network, grid, preprocessor.settings(), windows, profile, ids, namesOf(ids));
        stream.acceptAll(ct);
        stream.requireForeground();
        progress.progress("preprocessed to " + grid.networkDims(), 1, 1);
        for (Window w = stream.nextReadyWindow(); w != null; w = stream.nextReadyWindow()) {
            stream.runWindow(w);
            progress.progress("auto windows", stream.windowsDone(), stream.windowCount());
        }
        stream.timings().nanos().forEach((stage, nanos) -> timings.add(stage.equals("fill") ? "preprocess" : stage, nanos));
        return stream.result();
    }

    private LabelVolume auto(PreprocessedImage pre, List<Integer> ids, ProgressListener progress,
                             StageTimings timings) {
        GridPlan grid = pre.grid();
        Dims d = pre.image().dims();
        ArgmaxAccumulator labels = new ArgmaxAccumulator(profile, d.voxelCount(), ids.size());
        long[] classIds = ids.stream().mapToLong(Integer::longValue).toArray();
        pipeline.autoSlabs(pre.image(), grid.windows(windows), classIds, progress, timings,
                slab -> timings.time("post-process", () -> {
                    labels.fold(slab.features(), slab.embeddings(), ids, d);
                    return null;
                }));
        LabelVolume netLabels = LabelVolume.wrap(pre.image().geometry(), labels.labels());
        return timings.time("inverse", () -> inverse(grid, netLabels));
    }

    /** A network-space label map on the input grid through the {@link Inverse} stage. */
    private static LabelVolume inverse(GridPlan grid, LabelVolume netLabels) {
        Inverse inverse = new Inverse(grid);
        inverse.accept(LabelSlab.whole(netLabels, grid.streamOrder().axis()));
        return inverse.result();
    }

    private LabelVolume clicks(PreprocessedImage pre, SegmentationRequest request, ResolvedPrompt prompt,
                               ProgressListener progress, StageTimings timings, EncoderCache cache) {
        int label = prompt.objectId().orElse(1);
        GridPlan grid = pre.grid();
        List<Click> netClicks = NetworkClicks.convert(grid, request.clicks(), prompt.special(), progress);
        Volume image = pre.image();
        Dims d = image.dims();
        float[] previous = null;
        byte[] previousMask = null;
        if (request.previous().isPresent()) {
            // The edited object's previous mask as logits: the merge only needs its sign (§3.4).
            LabelVolume prevNet = timings.time("preprocess", () -> pre.toNetwork(request.previous().get()));
            previous = new float[d.voxelCount()];
            previousMask = new byte[d.voxelCount()];
            for (int v = 0; v < previous.length; v++) {
                boolean in = prevNet.getFlat(v) == label;
                previous[v] = in ? 1f : -1f;
                previousMask[v] = (byte) (in ? label : 0);
            }
        }
        OptionalInt autoClass = previous == null && !prompt.autoClassIds().isEmpty()
                ? OptionalInt.of(prompt.autoClassIds().get(0)) : OptionalInt.empty();
        PointPrompt pp = new PointPrompt(netClicks, 0, autoClass, prompt.zeroShot());
        byte[] net = pipeline.objectLabels(image, grid.streamOrder(), pp, previous, label, progress, timings,
                MergeObserver.NONE, cache).labels();
        LabelVolume netLabels = LabelVolume.wrap(image.geometry(), net);
        if (previousMask == null) {
            return timings.time("inverse", () -> inverse(grid, netLabels));
        }
        LabelVolume before = LabelVolume.wrap(image.geometry(), previousMask);
        return timings.time("inverse", () -> LabelEdit.apply(request.previous().get(), inverse(grid, before),
                inverse(grid, netLabels), label));
    }

    private void checkPrevious(Volume ct, SegmentationRequest request, ResolvedPrompt prompt) {
        LabelVolume prev = request.previous().get();
        if (!prev.dims().equals(ct.dims())) {
            throw new InvalidPreviousMaskException("previous label map has dims " + prev.dims() + ", expected the input's "
                    + ct.dims());
        }
        if (request.clicks().isEmpty()) {
            throw new InvalidPreviousMaskException("a previous label map is edited by clicks: give at least one --click");
        }
        if (prompt.objectId().isEmpty()) {
            throw new InvalidPreviousMaskException("editing a previous label map needs the one class to edit (--classes)");
        }
    }

    @Override
    public void close() {
        network.close();
    }
}
