package com.edgeseg.conformance;

import com.edgeseg.network.EncodedWindow;
import com.edgeseg.network.Vista3dNetwork;
import com.edgeseg.geometry.Dims;
import com.edgeseg.io.npy.Npy;
import com.edgeseg.io.npy.NpyArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a {@link Vista3dNetwork} against a reference-vector set ({@code shared/vectors/net-*}, see its README):
 * each {@code VISTA3D.forward} call is re-stated with the engines (encoder once, class head, point head, the
 * forward's own row mapping and gaussian_combine), each head cut is run as encoder(small input) + head (the
 * set guarantees that equals forward on the small input), and every logits array is compared per object.
 * Tensors that live inside the engines in this package's cut (decoder features, embeddings, positional codes)
 * are listed as skipped with the reason. Pipeline sets are left to {@code check-pipeline}.
 */
public final class NetVectorCheck {
    /** Row value MONAI's forward() gives objects without prompts. */
    public static final float NO_PROMPT_FILL = -9999f;
    /** Class ids above this use the zero-shot token (VISTA3D's {@code last_supported}). */
    public static final int LAST_SUPPORTED = 132;

    private final Path setDir;
    private final JsonNode manifest;
    private final double tolerance;

    private NetVectorCheck(Path setDir, JsonNode manifest) {
        this.setDir = setDir;
        this.manifest = manifest;
        this.tolerance = manifest.path("tolerance").path("onnx").asDouble(1e-4);
    }

    /** Reads a set's manifest.json. */
    public static NetVectorCheck open(Path setDir) {
        Path m = setDir.resolve("manifest.json");
        if (!Files.isRegularFile(m)) {
            throw new VectorSetException(setDir + ": not a reference-vector set (no manifest.json)");
        }
        try {
            return new NetVectorCheck(setDir, new ObjectMapper().readTree(m.toFile()));
        } catch (IOException e) {
            throw new VectorSetException(m + ": unreadable: " + e.getMessage());
        }
    }

    public String setName() {
        return manifest.path("set").asText(setDir.getFileName().toString());
    }

    /** Whether this is a network-level set (net-*) rather than a pipeline set. */
    public boolean isNetworkSet() {
        for (JsonNode c : manifest.path("calls")) {
            if (!c.path("api").asText().startsWith("VISTA3D.")) {
                return false;
            }
        }
        return manifest.path("calls").size() > 0;
    }

    /** The weights file the set was computed with (may live in another set's folder). */
    public Path weights() {
        String w = manifest.path("weights").asText("");
        if (w.isEmpty()) {
            throw new VectorSetException(setDir + ": manifest names no weights");
        }
        return setDir.resolve(w).normalize();
    }

    public double tolerance() {
        return tolerance;
    }

    /** Names of the set's calls in manifest order. */
    public List<String> callNames() {
        List<String> out = new ArrayList<>();
        manifest.path("calls").forEach(c -> out.add(c.path("name").asText()));
        return out;
    }

    /** Runs every call of a net set and compares; calls of other kinds come back skipped. */
    public List<VectorComparison> run(Vista3dNetwork net) {
        List<VectorComparison> out = new ArrayList<>();
        String encoderInput = null;
        for (JsonNode c : manifest.path("calls")) {
            if (c.path("api").asText().startsWith("VISTA3D.image_encoder")) {
                encoderInput = c.path("inputs").path("x").asText(null);
            }
        }
        for (JsonNode c : manifest.path("calls")) {
            String name = c.path("name").asText();
            String api = c.path("api").asText();
            if (api.startsWith("VISTA3D.forward")) {
                out.addAll(forward(net, c, name));
            } else if (api.startsWith("VISTA3D.image_encoder")) {
                c.path("outputs").fieldNames().forEachRemaining(o -> out.add(VectorComparison.skip(name, o,
                        "decoder output, inside the heads in this engine cut (encoder -> skip features); "
                                + "covered by class_head/point_head")));
            } else if (api.startsWith("VISTA3D.class_head") || api.startsWith("VISTA3D.point_head")) {
                out.addAll(headCut(net, c, name, encoderInput));
            } else {
                c.path("outputs").fieldNames().forEachRemaining(o -> out.add(VectorComparison.skip(name, o,
                        "pipeline-level call, checked by ./edgeseg check-pipeline")));
            }
        }
        return out;
    }

    private List<VectorComparison> forward(Vista3dNetwork net, JsonNode call, String name) {
        JsonNode in = call.path("inputs");
        JsonNode args = call.path("args");
        if (!args.path("patch_coords").isMissingNode() && !args.path("patch_coords").isNull()) {
            return List.of(VectorComparison.skip(name, "logits", "patch_coords (window inferer) is pipeline-level"));
        }
        NpyArray image = load(in.path("input_images").asText());
        return compareLogits(name, call, runForward(net, image, in, args.path("radius")));
    }

    /** Head cuts: encoder(small input) + head, which the set guarantees equals the cut on the stored features. */
    private List<VectorComparison> headCut(Vista3dNetwork net, JsonNode call, String name, String encoderInput) {
        List<VectorComparison> out = new ArrayList<>();
        boolean classHead = call.path("api").asText().startsWith("VISTA3D.class_head");
        if (encoderInput == null) {
            out.add(VectorComparison.skip(name, "logits", "no encoder call names the small input"));
            return out;
        }
        NpyArray image = load(encoderInput);
        JsonNode in = call.path("inputs");
        float[] logits;
        if (classHead) {
            logits = runForward(net, image, Map.of("class_vector", in.path("class_vector").asText()), null);
        } else {
            logits = runForward(net, image, Map.of("point_coords", in.path("point_coords").asText(),
                    "point_labels", in.path("point_labels").asText(),
                    "prompt_class", in.path("class_vector").asText()), null);
        }
        for (Iterator<String> it = call.path("outputs").fieldNames(); it.hasNext(); ) {
            String o = it.next();
            if (o.equals("logits")) {
                out.addAll(compare(name, o, logits, load(call.path("outputs").path(o).asText())));
            } else if (classHead && o.equals("class_embedding")) {
                // format 2 makes the class vectors an engine output (class_embedding), [n,1,C] in MONAI's layout
                long[] ids = load(in.path("class_vector").asText()).toLongArray();
                float[][] e = net.classEmbeddings(ids);
                float[] flat = new float[ids.length * net.featureChannels()];
                for (int i = 0; i < ids.length; i++) {
                    System.arraycopy(e[i], 0, flat, i * e[i].length, e[i].length);
                }
                out.addAll(compare(name, o, flat, load(call.path("outputs").path(o).asText())));
            } else {
                out.add(VectorComparison.skip(name, o, "internal tensor of the head (not an engine output)"));
            }
        }
        return out;
    }

    private float[] runForward(Vista3dNetwork net, NpyArray image, JsonNode inputs, JsonNode radius) {
        Map<String, String> files = new java.util.HashMap<>();
        inputs.fields().forEachRemaining(e -> files.put(e.getKey(), e.getValue().asText()));
        Integer r = radius == null || radius.isNull() || radius.isMissingNode() ? null : radius.asInt();
        return runForward(net, image, files, r);
    }

    /**
     * MONAI VISTA3D.forward without patch_coords, re-stated on the engines: class head rows for class_vector;
     * point head for rows with any label != -1; gaussian_combine when both; -9999 for rows without prompts.
     */
    private float[] runForward(Vista3dNetwork net, NpyArray image, Map<String, String> files, Integer radius) {
        long[] s = image.shape();
        if (s.length != 5 || s[0] != 1 || s[1] != 1) {
            throw new VectorSetException("input image must be [1,1,H,W,D], got " + Arrays.toString(s));
        }
        Dims dims = new Dims((int) s[2], (int) s[3], (int) s[4]);
        int vox = dims.voxelCount();
        long[] classVector = files.containsKey("class_vector") ? load(files.get("class_vector")).toLongArray() : null;
        long[] promptClass = files.containsKey("prompt_class") ? load(files.get("prompt_class")).toLongArray() : null;
        float[][][] coords = null;
        long[][] labels = null;
        if (files.containsKey("point_coords")) {
            NpyArray pc = load(files.get("point_coords"));
            NpyArray pl = load(files.get("point_labels"));
            int b = (int) pc.shape()[0];
            int n = (int) pc.shape()[1];
            float[] c = pc.toFloatArray();
            long[] l = pl.toLongArray();
            coords = new float[b][n][3];
            labels = new long[b][n];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < n; j++) {
                    System.arraycopy(c, (i * n + j) * 3, coords[i][j], 0, 3);
                    labels[i][j] = l[i * n + j];
                }
            }
        }
        try (EncodedWindow w = net.encode(image.toFloatArray(), dims)) {
            if (classVector == null && coords == null) {
                float[] out = new float[vox];
                Arrays.fill(out, NO_PROMPT_FILL);
                return out;
            }
            int rows = classVector != null ? classVector.length : coords.length;
            float[] out = classVector != null ? net.autoLogits(w, classVector) : filled(rows * vox);
            if (coords == null) {
                return out;
            }
            List<Integer> mapped = new ArrayList<>();
            for (int i = 0; i < coords.length; i++) {
                if (Arrays.stream(labels[i]).anyMatch(v -> v != -1)) {
                    mapped.add(i);
                }
            }
            if (mapped.isEmpty() && classVector == null) {
                for (int i = 0; i < coords.length; i++) {
                    mapped.add(i);
                }
            }
            if (mapped.isEmpty()) {
                return out;
            }
            float[][][] mc = new float[mapped.size()][][];
            long[][] ml = new long[mapped.size()][];
            boolean[] zs = new boolean[mapped.size()];
            for (int k = 0; k < mapped.size(); k++) {
                int i = mapped.get(k);
                mc[k] = coords[i];
                ml[k] = labels[i];
                zs[k] = promptClass != null && promptClass[i] > LAST_SUPPORTED;
            }
            float[] point = net.pointLogits(w, mc, ml, zs);
            int r = radius != null ? radius : Math.min(dims.n0(), Math.min(dims.n1(), dims.n2())) / 5;
            for (int k = 0; k < mapped.size(); k++) {
                int i = mapped.get(k);
                if (classVector != null) {
                    gaussianCombine(out, i * vox, point, k * vox, dims, coords[i], labels[i], r);
                } else {
                    System.arraycopy(point, k * vox, out, i * vox, vox);
                }
            }
            return out;
        }
    }

    private static float[] filled(int n) {
        float[] f = new float[n];
        Arrays.fill(f, NO_PROMPT_FILL);
        return f;
    }

    /** out = w·auto + (1-w)·point, w = max(0, 1 - Σ exp(-|x-p|²/(2r²))) over points with label != -1. */
    static void gaussianCombine(float[] auto, int autoOff, float[] point, int pointOff, Dims d, float[][] pts, long[] lab, int r) {
        double twoR2 = 2.0 * r * r;
        for (int x = 0; x < d.n0(); x++) {
            for (int y = 0; y < d.n1(); y++) {
                for (int z = 0; z < d.n2(); z++) {
                    double sum = 0;
                    for (int p = 0; p < pts.length; p++) {
                        if (lab[p] == -1) {
                            continue;
                        }
                        double dx = x - pts[p][0];
                        double dy = y - pts[p][1];
                        double dz = z - pts[p][2];
                        sum += Math.exp(-(dx * dx + dy * dy + dz * dz) / twoR2);
                    }
                    float w = (float) Math.max(0.0, 1.0 - sum);
                    int v = d.index(x, y, z);
                    auto[autoOff + v] = w * auto[autoOff + v] + (1 - w) * point[pointOff + v];
                }
            }
        }
    }

    private List<VectorComparison> compareLogits(String name, JsonNode call, float[] logits) {
        List<VectorComparison> out = new ArrayList<>();
        for (Iterator<String> it = call.path("outputs").fieldNames(); it.hasNext(); ) {
            String o = it.next();
            out.addAll(compare(name, o, logits, load(call.path("outputs").path(o).asText())));
        }
        return out;
    }

    /** Per-object comparison of [B,1,...] logits, with the README's rules for NaN and the -9999 fill. */
    private List<VectorComparison> compare(String call, String output, float[] got, NpyArray refArray) {
        float[] ref = refArray.toFloatArray();
        List<VectorComparison> out = new ArrayList<>();
        if (ref.length != got.length) {
            out.add(new VectorComparison(call, output, -1, Double.POSITIVE_INFINITY, tolerance, false,
                    "shape " + Arrays.toString(refArray.shape()) + " has " + ref.length + " values, engines gave " + got.length));
            return out;
        }
        int b = (int) refArray.shape()[0];
        int per = ref.length / b;
        for (int o = 0; o < b; o++) {
            double maxRef = 0;
            double maxDiff = 0;
            String note = "";
            for (int i = o * per; i < (o + 1) * per; i++) {
                float r = ref[i];
                float g = got[i];
                if (Float.isNaN(r) || Float.isNaN(g)) {
                    if (Float.isNaN(r) != Float.isNaN(g) && note.isEmpty()) {
                        note = "NaN position differs at flat index " + i;
                    }
                    continue;
                }
                if ((r == NO_PROMPT_FILL) != (g == NO_PROMPT_FILL) && note.isEmpty()) {
                    note = "-9999 fill differs at flat index " + i;
                }
                if (r == NO_PROMPT_FILL) {
                    continue;
                }
                maxRef = Math.max(maxRef, Math.abs(r));
                maxDiff = Math.max(maxDiff, Math.abs((double) g - r));
            }
            double rel = maxRef > 0 ? maxDiff / maxRef : maxDiff;
            out.add(new VectorComparison(call, output, o, rel, tolerance, false, note));
        }
        return out;
    }

    private NpyArray load(String file) {
        Path p = setDir.resolve(file);
        return Npy.read(p);
    }
}
