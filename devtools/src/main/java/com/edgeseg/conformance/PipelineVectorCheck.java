package com.edgeseg.conformance;

import com.edgeseg.engine.EngineOptions;
import com.edgeseg.network.Vista3dNetwork;
import com.edgeseg.fidelity.FidelityProfile;
import com.edgeseg.geometry.Affine;
import com.edgeseg.geometry.Dims;
import com.edgeseg.geometry.Geometry;
import com.edgeseg.io.npy.Npy;
import com.edgeseg.io.npy.NpyArray;
import com.edgeseg.pkg.ModelPackage;
import com.edgeseg.postprocess.LabelAssembler;
import com.edgeseg.segment.NetworkSpacePipeline;
import com.edgeseg.stage.PointPrompt;
import com.edgeseg.segment.ProgressListener;
import com.edgeseg.stage.StageTimings;
import com.edgeseg.volume.Volume;
import com.edgeseg.window.Click;
import com.edgeseg.window.PointWindowStitcher;
import com.edgeseg.window.StreamOrder;
import com.edgeseg.window.WindowSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Runs the calls of a {@code pipeline-*} reference set (inputs already in network space) through the Java
 * inferers with the package's ONNX engines and compares logits and label maps with what MONAI computed.
 * In the parity profile it is a pass/fail check (tolerances of the set's manifest); in the product profile it
 * measures how far the product's deliberate differences move each label map.
 */
public final class PipelineVectorCheck {
    /** Relative logit tolerance for ONNX Runtime engines (the set's {@code tolerance.onnx}). */
    public static final double LOGIT_TOLERANCE = 1e-4;

    /**
     * One compared output. {@code maxRelErr} is over the voxels whose click merge was not decided by a near-tied
     * logit; {@code mergeTieVoxels} counts the excluded voxels where the logits do differ. {@code labelDiffs} = label
     * voxels that differ, {@code nearTieDiffs} the part of them at near ties (logits or merge).
     */
    public record Comparison(String call, String output, double maxRelErr, long mergeTieVoxels, long labelDiffs,
                             long nearTieDiffs, long nearTieAllowance, long notComputed, long referenceNotComputed,
                             boolean pass) { }

    /**
     * How the set's network-space images would have streamed: an axial series after RAS orientation, slices along
     * axis 2 from inferior to superior. Only the product profile's streaming lattice uses it.
     */
    static final StreamOrder AXIAL = new StreamOrder(2, false);

    private final Path set;
    private final JsonNode manifest;
    private final Volume image;
    private FidelityProfile profile = FidelityProfile.parity();
    private Path dumpDir;

    private PipelineVectorCheck(Path set) throws IOException {
        this.set = set;
        this.manifest = new ObjectMapper().readTree(set.resolve("manifest.json").toFile());
        NpyArray in = Npy.read(set.resolve(manifest.path("calls").get(0).path("inputs").path("image").asText()));
        long[] s = in.shape();
        Dims d = new Dims((int) s[2], (int) s[3], (int) s[4]);
        this.image = Volume.wrap(Geometry.of(d, Affine.identity()), in.toFloatArray());
    }

    /** The weights file the set's manifest names, resolved against the set folder. */
    public static Path weights(Path set) throws IOException {
        JsonNode m = new ObjectMapper().readTree(set.resolve("manifest.json").toFile());
        return set.resolve(m.path("weights").asText("weights.npz")).normalize();
    }

    /**
     * Runs every call of {@code set} with {@code pkg}; prints one line per output and returns them.
     *
     * @param dumpDir if not null, our logits and label maps are written there as {@code <call>.<output>.npy}, the
     *                set's naming, for side-by-side inspection
     */
    public static List<Comparison> run(Path set, ModelPackage pkg, FidelityProfile profile, EngineOptions options,
                                       PrintStream out, Path dumpDir) throws IOException {
        PipelineVectorCheck check = new PipelineVectorCheck(set);
        check.dumpDir = dumpDir;
        try (Vista3dNetwork network = Vista3dNetwork.open(pkg, options)) {
            return check.runAll(network, profile, out);
        }
    }

    private List<Comparison> runAll(Vista3dNetwork network, FidelityProfile profile, PrintStream out)
            throws IOException {
        this.profile = profile;
        List<Comparison> results = new ArrayList<>();
        for (JsonNode call : manifest.path("calls")) {
            String name = call.path("name").asText();
            NetworkSpacePipeline pipeline = new NetworkSpacePipeline(network, windowSettings(call), profile);
            StageTimings timings = new StageTimings();
            long t0 = System.nanoTime();
            List<Comparison> r = switch (name) {
                case "auto_sw" -> autoCall(call, pipeline, timings);
                case "edit_prev_mask" -> editCall(call, pipeline, timings);
                default -> clickCall(call, pipeline, timings);
            };
            for (Comparison c : r) {
                if (!profile.name().equals("parity")) {
                    out.printf("  %-18s %-17s label voxels that differ from the reference: %,d (%,d of them 255 there)"
                                    + "  255 left: %d%n", c.call(), c.output(), c.labelDiffs(), c.referenceNotComputed(),
                            c.notComputed());
                    continue;
                }
                out.printf("  %-18s %-17s logits max_rel_err %.2e (merge near-tie voxels %d)  label voxels differing "
                                + "%d (near ties %d, allowance %d)  255: %d  %s%n", c.call(), c.output(), c.maxRelErr(),
                        c.mergeTieVoxels(), c.labelDiffs(), c.nearTieDiffs(), c.nearTieAllowance(), c.notComputed(),
                        c.pass() ? "PASS" : "FAIL");
            }
            out.printf("  %-18s %.1f s%n", "", (System.nanoTime() - t0) / 1e9);
            results.addAll(r);
        }
        return results;
    }

    private WindowSettings windowSettings(JsonNode call) {
        ObjectNode w = new ObjectMapper().createObjectNode();
        w.set("roi", call.path("args").path("roi_size"));
        w.put("overlap", call.path("args").path("overlap").asDouble(0.25));
        w.put("blend", call.path("args").path("mode").asText("constant"));
        w.put("sigma_scale", 0.125);
        w.put("padding", call.path("args").path("padding_mode").asText("constant"));
        w.put("cval", call.path("args").path("cval").asDouble(0.0));
        ObjectNode pw = w.putObject("point_window");
        pw.put("center_only", call.path("args").path("center_only").asBoolean(true));
        pw.put("margin", call.path("args").path("margin").asInt(5));
        return WindowSettings.fromJson(w);
    }

    private NpyArray input(JsonNode call, String key) throws IOException {
        return Npy.read(set.resolve(call.path("inputs").path(key).asText()));
    }

    private NpyArray output(JsonNode call, String key) throws IOException {
        return Npy.read(set.resolve(call.path("outputs").path(key).asText()));
    }

    private List<Comparison> autoCall(JsonNode call, NetworkSpacePipeline pipeline, StageTimings timings)
            throws IOException {
        long[] ids = input(call, "class_vector").toLongArray();
        float[][] logits = pipeline.autoLogits(image, AXIAL, ids, ProgressListener.NONE, timings);
        return List.of(compare(call, "logits", logits, output(call, "logits"), toInts(ids), "label_map", null));
    }

    private List<Comparison> clickCall(JsonNode call, NetworkSpacePipeline pipeline, StageTimings timings)
            throws IOException {
        List<Click> clicks = clicks(call);
        OptionalInt classId = call.path("inputs").has("class_vector")
                ? OptionalInt.of((int) input(call, "class_vector").toLongArray()[0]) : OptionalInt.empty();
        int promptClass = call.path("inputs").has("prompt_class")
                ? (int) input(call, "prompt_class").toLongArray()[0] : classId.orElse(0);
        boolean zeroShot = promptClass > 132;
        if (zeroShot) {
            classId = OptionalInt.empty();
        }
        int label = promptClass > 0 ? promptClass : 1;
        PointPrompt prompt = new PointPrompt(clicks, 0, classId, zeroShot);
        MergeTies ties = new MergeTies(image.dims(), LOGIT_TOLERANCE);
        NetworkSpacePipeline.ObjectResult r = pipeline.objectLabels(image, AXIAL, prompt, null, label,
                ProgressListener.NONE, timings, ties);
        return List.of(compareObject(call, r, ties));
    }

    private List<Comparison> editCall(JsonNode call, NetworkSpacePipeline pipeline, StageTimings timings)
            throws IOException {
        JsonNode prev = call.path("args").path("prev_mask");
        NpyArray auto = Npy.read(set.resolve(prev.path("from_file").asText()));
        int channels = (int) auto.shape()[1];
        int n = image.dims().voxelCount();
        float[] all = auto.toFloatArray();
        int edited = call.path("args").path("edited_channel").asInt();
        float[] previous = channel(all, edited, n);
        int label = (int) input(call, "prompt_class").toLongArray()[0];
        PointPrompt prompt = new PointPrompt(clicks(call), 0, OptionalInt.empty(), label > 132);
        MergeTies ties = new MergeTies(image.dims(), LOGIT_TOLERANCE);
        NetworkSpacePipeline.ObjectResult r = pipeline.objectLabels(image, AXIAL, prompt, previous, label,
                ProgressListener.NONE, timings, ties);
        float[][] merged = new float[channels][];
        for (int c = 0; c < channels; c++) {
            merged[c] = channel(all, c, n);
        }
        merged[edited] = r.logits();
        int[] ids = toInts(input(call, "label_prompt_for_merge").toLongArray());
        Comparison logits = compare(call, "logits", new float[][] {r.logits()}, output(call, "logits"), null, null,
                ties);
        Comparison labels = compare(call, "merged_label_map", merged, null, ids, "merged_label_map", ties);
        return List.of(logits, labels);
    }

    private List<Click> clicks(JsonNode call) throws IOException {
        double[] c = input(call, "point_coords").toDoubleArray();
        long[] l = input(call, "point_labels").toLongArray();
        List<Click> clicks = new ArrayList<>();
        for (int i = 0; i < l.length; i++) {
            clicks.add(new Click(c[3 * i], c[3 * i + 1], c[3 * i + 2], (int) l[i]));
        }
        return clicks;
    }

    private Comparison compareObject(JsonNode call, NetworkSpacePipeline.ObjectResult r, MergeTies ties)
            throws IOException {
        String name = call.path("name").asText();
        LogitError err = maxRelErr(r.logits(), output(call, "logits").toFloatArray(), ties);
        byte[] ref = output(call, "label_map").toByteArray();
        return labelComparison(call, name, "logits+label_map", err, new float[][] {r.logits()}, r.labels(), ref, ties);
    }

    /**
     * Compares per-channel logits (if {@code refLogits} is given) and the label map assembled from {@code ours}
     * with {@code ids} against the reference label map (if {@code labelKey} is given).
     */
    private Comparison compare(JsonNode call, String output, float[][] ours, NpyArray refLogits, int[] ids,
                               String labelKey, MergeTies ties) throws IOException {
        String name = call.path("name").asText();
        LogitError err = new LogitError(0, 0);
        if (refLogits != null) {
            float[] ref = refLogits.toFloatArray();
            int n = image.dims().voxelCount();
            for (int c = 0; c < ours.length; c++) {
                LogitError e = maxRelErr(ours[c], channel(ref, c, n), ties);
                err = new LogitError(Math.max(err.maxRel(), e.maxRel()), err.excused() + e.excused());
            }
        }
        if (labelKey == null) {
            long allowance = call.path("near_tie_voxels").path("rel_0.0001").asLong(0);
            return new Comparison(name, output, err.maxRel(), err.excused(), 0, 0, allowance, 0, 0,
                    err.maxRel() <= LOGIT_TOLERANCE && err.excused() <= allowance);
        }
        byte[] labels = new LabelAssembler(profile, java.util.Arrays.stream(ids).boxed().toList(),
                ids.length).assemble(ours);
        byte[] ref = output(call, labelKey).toByteArray();
        return labelComparison(call, name, refLogits != null ? output + "+" + labelKey : labelKey, err, ours,
                labels, ref, ties);
    }

    private void dump(String call, String output, float[][] logits, byte[] labels) {
        if (dumpDir == null) {
            return;
        }
        Dims d = image.dims();
        float[] flat = new float[logits.length * d.voxelCount()];
        for (int c = 0; c < logits.length; c++) {
            System.arraycopy(logits[c], 0, flat, c * d.voxelCount(), d.voxelCount());
        }
        Npy.write(dumpDir.resolve(call + ".logits.npy"), NpyArray.of(flat, 1, logits.length, d.n0(), d.n1(), d.n2()));
        Npy.write(dumpDir.resolve(call + "." + output + ".npy"), NpyArray.ofUint8(labels, 1, d.n0(), d.n1(), d.n2()));
    }

    private Comparison labelComparison(JsonNode call, String name, String output, LogitError err,
                                       float[][] logits, byte[] labels, byte[] ref, MergeTies ties) {
        dump(name, output.contains("merged") ? "merged_label_map" : "label_map", logits, labels);
        long allowance = call.path("near_tie_voxels").path("rel_0.0001").asLong(0);
        long diffs = 0;
        long tied = 0;
        long notComputed = 0;
        long refNotComputed = 0;
        double eps = LOGIT_TOLERANCE * maxAbs(logits);
        for (int v = 0; v < labels.length; v++) {
            if ((labels[v] & 0xff) == 255) {
                notComputed++;
            }
            if (labels[v] != ref[v]) {
                diffs++;
                if ((ref[v] & 0xff) == 255) {
                    refNotComputed++;
                }
                if (nearTie(logits, v, eps) || (ties != null && ties.contains(v))) {
                    tied++;
                }
            }
        }
        boolean pass = err.maxRel() <= LOGIT_TOLERANCE && err.excused() <= allowance && diffs == tied
                && tied <= allowance;
        return new Comparison(name, output, err.maxRel(), err.excused(), diffs, tied, allowance, notComputed,
                refNotComputed, pass);
    }

    private static double maxAbs(float[][] logits) {
        double scale = 0;
        for (float[] c : logits) {
            scale = Math.max(scale, MergeTies.logitScale(c));
        }
        return scale;
    }

    /** The voxel's deciding logit is within {@code eps} (= rel·max|logit|) of 0 or of the runner-up channel. */
    private static boolean nearTie(float[][] logits, int v, double eps) {
        double best = Double.NEGATIVE_INFINITY;
        double second = Double.NEGATIVE_INFINITY;
        for (float[] c : logits) {
            double x = c[v];
            if (x > best) {
                second = best;
                best = x;
            } else if (x > second) {
                second = x;
            }
        }
        return Math.abs(best) <= eps || (logits.length > 1 && best - second <= eps);
    }

    /** Max relative logit error outside merge near ties, and how many voxels the near ties excused. */
    record LogitError(double maxRel, long excused) { }

    static LogitError maxRelErr(float[] ours, float[] ref, MergeTies ties) {
        double maxRef = MergeTies.logitScale(ref);
        double maxDiff = 0;
        long excused = 0;
        for (int i = 0; i < ref.length; i++) {
            float r = ref[i];
            if (Float.isNaN(r) != Float.isNaN(ours[i]) || (r == PointWindowStitcher.BACKGROUND_LOGIT) != (ours[i] == PointWindowStitcher.BACKGROUND_LOGIT)) {
                return new LogitError(Double.POSITIVE_INFINITY, excused);
            }
            if (Float.isNaN(r)) {
                continue;
            }
            double diff = Math.abs(ours[i] - r);
            if (ties != null && ties.contains(i)) {
                if (diff > LOGIT_TOLERANCE * maxRef) {
                    excused++;
                }
                continue;
            }
            maxDiff = Math.max(maxDiff, diff);
        }
        return new LogitError(maxRef == 0 ? maxDiff : maxDiff / maxRef, excused);
    }

    /** Channel {@code c} of a channel-major {@code [C, n]} array. */
    private static float[] channel(float[] all, int c, int n) {
        float[] out = new float[n];
        System.arraycopy(all, c * n, out, 0, n);
        return out;
    }

    private static int[] toInts(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (int) v[i];
        }
        return out;
    }
}
