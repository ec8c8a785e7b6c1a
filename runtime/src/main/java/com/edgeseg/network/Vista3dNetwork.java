package com.edgeseg.network;

import com.edgeseg.engine.Dim;
import com.edgeseg.engine.ElementType;
import com.edgeseg.engine.EngineException;
import com.edgeseg.engine.EngineInputException;
import com.edgeseg.engine.EngineOptions;
import com.edgeseg.engine.Engines;
import com.edgeseg.engine.InferenceEngine;
import com.edgeseg.engine.Tensor;
import com.edgeseg.engine.TensorSpec;

import com.edgeseg.geometry.Dims;
import com.edgeseg.pkg.EngineSpec;
import com.edgeseg.pkg.Manifest;
import com.edgeseg.pkg.ModelPackage;
import com.edgeseg.window.Window;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engines of a VISTA3D package used together: the encoder once per window, then on its features the auto
 * features F' (automatic segmentation) and the point head (clicks); the class embedding engine turns class ids into
 * the vectors that score F' (a class's logit at a voxel is the dot product of its vector with F' there, reference
 * §2.3). Tensor names come from the package manifest; the extra inputs are recognised by type and rank (class ids
 * int64 [B]; point coordinates float32 [B,N,3], labels int64 [B,N], zero-shot flag [B]).
 *
 * <p>Spatial axes are the network's (X, Y, Z) = {@link Dims} (n0, n1, n2); arrays are C order. Logits are
 * returned flattened as [B, X, Y, Z] (the network's [B,1,X,Y,Z] without the singleton axis), before sigmoid.
 * Thread-safe: encoder calls run concurrently (ONNX Runtime sessions are), head calls take turns on the heads'
 * shared output buffers, and {@link #close()} waits for a running head call.
 */
public final class Vista3dNetwork implements AutoCloseable {
    /** Every window axis must be a multiple of this (four stride-2 levels in the encoder). */
    public static final int SHAPE_FACTOR = 16;
    private static final int POOLED_WINDOWS = 2;

    private final ModelPackage pkg;
    private final EngineOptions options;
    private final Slot encoder;
    private final Slot autoFeatures;
    private final Slot classEmbedding;
    private final Slot pointHead;
    private final String imageName;
    private final List<TensorSpec> featureSpecs;
    private final String classIdsName;
    private final String coordsName;
    private final String labelsName;
    private final TensorSpec zeroShotSpec;
    private final String autoFeaturesName;
    private final int featureChannels;
    private final String embeddingName;
    private final String pointLogitsName;
    /** Class id -> its embedding: a pure function of the weights, asked for again by every pass and click. */
    private final Map<Long, float[]> embeddings = new java.util.concurrent.ConcurrentHashMap<>();
    private final Deque<Map<String, Tensor>> featurePool = new ArrayDeque<>();
    private final Map<Slot, ByteBuffer> logitBuffers = new java.util.IdentityHashMap<>();
    private volatile boolean closed;
    /** Engine calls hold the read lock, {@link #close()} the write lock: closing waits for running calls. */
    private final java.util.concurrent.locks.ReentrantReadWriteLock life = new java.util.concurrent.locks.ReentrantReadWriteLock();

    private Vista3dNetwork(ModelPackage pkg, EngineOptions options, InferenceEngine encoder, InferenceEngine autoFeatures,
                           InferenceEngine classEmbedding, InferenceEngine pointHead) {
        this.pkg = pkg;
        this.options = options;
        this.encoder = new Slot(Manifest.ENCODER, encoder);
        this.autoFeatures = new Slot(Manifest.AUTO_FEATURES, autoFeatures);
        this.classEmbedding = new Slot(Manifest.CLASS_EMBEDDING, classEmbedding);
        this.pointHead = new Slot(Manifest.POINT_HEAD, pointHead);
        Manifest m = pkg.manifest();
        EngineSpec enc = m.engine(Manifest.ENCODER);
        EngineSpec auto = m.engine(Manifest.AUTO_FEATURES);
        EngineSpec embed = m.engine(Manifest.CLASS_EMBEDDING);
        EngineSpec point = m.engine(Manifest.POINT_HEAD);
        if (enc.inputs().size() != 1) {
            throw bad("encoder must have one input (the image), manifest lists " + enc.inputs().size());
        }
        imageName = enc.inputs().get(0).name();
        featureSpecs = enc.outputs();
        List<String> featureNames = featureSpecs.stream().map(TensorSpec::name).toList();
        if (auto.inputs().size() != featureNames.size()) {
            throw bad("auto_features must take exactly the encoder outputs " + featureNames + ", manifest lists "
                    + auto.inputs());
        }
        requireFeatures(auto, featureNames);
        TensorSpec f = single(auto);
        if (f.rank() != 5 || f.dims().get(1).isSymbolic() || f.dims().get(1).size() <= 0) {
            throw bad("auto_features output must be [1,C,X,Y,Z] with a fixed C, manifest says " + f.dims());
        }
        autoFeaturesName = f.name();
        featureChannels = (int) f.dims().get(1).size();
        if (embed.inputs().size() != 1 || embed.inputs().get(0).type() != ElementType.INT64 || embed.inputs().get(0).rank() != 1) {
            throw bad("class_embedding must take one input, class ids int64 [B]; manifest lists " + embed.inputs());
        }
        classIdsName = embed.inputs().get(0).name();
        TensorSpec e = single(embed);
        if (e.rank() != 2 || e.dims().get(1).isSymbolic() || e.dims().get(1).size() != featureChannels) {
            throw bad("class_embedding output must be [B," + featureChannels + "] (C of auto_features), manifest says "
                    + e.dims());
        }
        embeddingName = e.name();
        coordsName = extra(point, featureNames, ElementType.FLOAT32, 3, "point coordinates float32 [B,N,3]").name();
        labelsName = extra(point, featureNames, ElementType.INT64, 2, "point labels int64 [B,N]").name();
        zeroShotSpec = extra(point, featureNames, null, 1, "zero-shot flags [B]");
        pointLogitsName = single(point).name();
        for (TensorSpec s : this.encoder.engine.inputs()) {
            if (!s.name().equals(imageName)) {
                throw bad("encoder.onnx has input '" + s.name() + "' that the manifest does not declare");
            }
        }
    }

    /** Opens the package's three engines with the provider and threads of {@code options}. */
    public static Vista3dNetwork open(ModelPackage pkg, EngineOptions options) {
        List<InferenceEngine> opened = new ArrayList<>();
        try {
            for (String role : Manifest.ENGINE_ROLES) {
                opened.add(Engines.open(pkg.engineFile(role), options));
            }
            return new Vista3dNetwork(pkg, options, opened.get(0), opened.get(1), opened.get(2), opened.get(3));
        } catch (RuntimeException e) {
            opened.forEach(InferenceEngine::close);
            throw e;
        }
    }

    private EngineException bad(String what) {
        return new EngineException(pkg.dir() + ": " + what);
    }

    private TensorSpec extra(EngineSpec head, List<String> features, ElementType type, int rank, String what) {
        List<TensorSpec> found = head.inputs().stream()
                .filter(s -> !features.contains(s.name()) && s.rank() == rank
                        && (type != null ? s.type() == type : s.type() == ElementType.INT64 || s.type() == ElementType.BOOL))
                .toList();
        if (found.size() != 1) {
            throw bad(head.role() + " must have exactly one input for " + what + " besides the encoder outputs, found " + found);
        }
        requireFeatures(head, features);
        return found.get(0);
    }

    private void requireFeatures(EngineSpec head, List<String> features) {
        for (String f : features) {
            if (head.inputs().stream().noneMatch(s -> s.name().equals(f))) {
                throw bad(head.role() + " does not take encoder output '" + f + "'");
            }
        }
    }

    private TensorSpec single(EngineSpec head) {
        if (head.outputs().size() != 1) {
            throw bad(head.role() + " must have one output (logits), manifest lists " + head.outputs().size());
        }
        return head.outputs().get(0);
    }

    public ModelPackage modelPackage() {
        return pkg;
    }

    /** The provider running the engines, e.g. {@code onnxruntime-cpu}. */
    public String providerName() {
        return encoder.engine.providerName();
    }

    /**
     * Runs the encoder on a stand-alone image (a whole-image check, a benchmark): its window is the image itself, at
     * origin 0.
     *
     * @throws EngineInputException when the array length differs from dims or an axis is not a multiple of 16
     */
    public EncodedWindow encode(float[] window, Dims dims) {
        return encode(window, new Window(0, 0, 0, 0, dims));
    }

    /**
     * Runs the encoder on the voxels of {@code where} (C order, {@code where.size().voxelCount()} values, already
     * intensity-scaled); the result remembers its window, so a cache can key it.
     *
     * @throws EngineInputException when the array length differs from the window or an axis is not a multiple of 16
     */
    public EncodedWindow encode(float[] window, Window where) {
        return onEngine(encoder, false, () -> encodeOpen(window, where));
    }

    private EncodedWindow encodeOpen(float[] window, Window where) {
        Dims dims = where.size();
        if (window.length != dims.voxelCount()) {
            throw new EngineInputException("window has " + window.length + " values, dims " + dims + " need " + dims.voxelCount());
        }
        for (int a = 0; a < 3; a++) {
            if (dims.get(a) == 0 || dims.get(a) % SHAPE_FACTOR != 0) {
                throw new EngineInputException("window " + dims + ": every axis must be a positive multiple of "
                        + SHAPE_FACTOR + " (pad the window)");
            }
        }
        Tensor image = Tensor.of(window, 1, 1, dims.n0(), dims.n1(), dims.n2());
        Map<String, Tensor> pinned = takeFeatures(dims);
        Map<String, Tensor> out = encoder.engine.run(Map.of(imageName, image), pinned);
        Map<String, Tensor> features = new LinkedHashMap<>();
        for (TensorSpec s : featureSpecs) {
            Tensor t = out.get(s.name());
            if (t == null) {
                throw bad("encoder did not produce '" + s.name() + "'");
            }
            features.put(s.name(), t.toDirect());
        }
        return new EncodedWindow(where, features, this);
    }

    /** C, the channels of the auto features F' (the encoder width). */
    public int featureChannels() {
        return featureChannels;
    }

    /**
     * The auto features F' of a window, C order {@code [C, X, Y, Z]}: what the classes are scored on. Written into
     * {@code reuse} when it has exactly their length (a caller that runs many windows keeps one buffer), else a new
     * array.
     */
    public float[] autoFeatures(EncodedWindow w, float[] reuse) {
        ensureOpen();
        Dims d = w.dims();
        return runHead(autoFeatures, autoFeaturesName, w.features(),
                new long[] {1, featureChannels, d.n0(), d.n1(), d.n2()}, reuse);
    }

    /**
     * The class head's vector of each id (valid 0..511, trained 1..132): {@code [ids.length][C]}. A class's logit at
     * a voxel is {@link ClassScores#logit the dot product} of its vector with the voxel's F'. Cached per id.
     */
    public float[][] classEmbeddings(long[] classIds) {
        ensureOpen();
        if (classIds.length == 0) {
            throw new EngineInputException("no class ids");
        }
        long[] missing = java.util.Arrays.stream(classIds).filter(id -> !embeddings.containsKey(id)).distinct().toArray();
        if (missing.length > 0) {
            float[] out = onEngine(classEmbedding, true, () -> classEmbedding.engine
                    .run(Map.of(classIdsName, Tensor.of(missing, missing.length))).get(embeddingName).toFloatArray());
            if (out.length != missing.length * featureChannels) {
                throw bad("class_embedding returned " + out.length + " values for " + missing.length
                        + " ids, expected " + missing.length + " x " + featureChannels);
            }
            for (int i = 0; i < missing.length; i++) {
                embeddings.put(missing[i], java.util.Arrays.copyOfRange(out, i * featureChannels, (i + 1) * featureChannels));
            }
        }
        float[][] out = new float[classIds.length][];
        for (int i = 0; i < classIds.length; i++) {
            out[i] = embeddings.get(classIds[i]).clone();
        }
        return out;
    }

    /**
     * Class-head logits of one window for each id of {@code classIds}: F' scored by each class's vector.
     *
     * @return [B, X, Y, Z] flattened, B = classIds.length
     */
    public float[] autoLogits(EncodedWindow w, long[] classIds) {
        float[][] emb = classEmbeddings(classIds);
        float[] features = autoFeatures(w, null);
        int voxels = w.dims().voxelCount();
        if ((long) classIds.length * voxels > Integer.MAX_VALUE) {
            throw new EngineInputException(classIds.length + " classes of " + w.dims() + " exceed one array of logits; "
                    + "score fewer classes per call");
        }
        float[] out = new float[classIds.length * voxels];
        ClassScores.logits(features, featureChannels, voxels, emb, out);
        return out;
    }

    /**
     * Point-head logits for B objects.
     *
     * @param coords [B][N][3] window-local voxel coordinates along (X, Y, Z), fractional allowed; every object
     *     has the same N (pad with label -1)
     * @param labels [B][N]: -1 padding, 0 negative, 1 positive, 2 negative special, 3 positive special
     * @param zeroShot [B]: true for a class the model was not trained on (id > 132)
     * @return [B, X, Y, Z] flattened. An object whose labels are all -1 is not special-cased here: MONAI's
     *     forward() gives such rows -9999, which is the caller's job.
     */
    public float[] pointLogits(EncodedWindow w, float[][][] coords, long[][] labels, boolean[] zeroShot) {
        ensureOpen();
        int b = coords.length;
        if (b == 0 || labels.length != b || zeroShot.length != b) {
            throw new EngineInputException("point prompts: coords, labels and zeroShot must have the same B >= 1, got "
                    + coords.length + ", " + labels.length + ", " + zeroShot.length);
        }
        int n = coords[0].length;
        float[] c = new float[b * n * 3];
        long[] l = new long[b * n];
        for (int i = 0; i < b; i++) {
            if (coords[i].length != n || labels[i].length != n) {
                throw new EngineInputException("point prompts: object " + i + " has " + coords[i].length + " coordinates and "
                        + labels[i].length + " labels, expected N = " + n + " for every object (pad with label -1)");
            }
            for (int j = 0; j < n; j++) {
                if (coords[i][j].length != 3) {
                    throw new EngineInputException("point prompts: coordinate [" + i + "][" + j + "] has "
                            + coords[i][j].length + " values, expected 3 (X, Y, Z)");
                }
                if (labels[i][j] < -1 || labels[i][j] > 3) {
                    throw new EngineInputException("point prompts: label " + labels[i][j] + " at [" + i + "][" + j
                            + "], expected -1, 0, 1, 2 or 3");
                }
                System.arraycopy(coords[i][j], 0, c, (i * n + j) * 3, 3);
                l[i * n + j] = labels[i][j];
            }
        }
        Map<String, Tensor> in = new HashMap<>(w.features());
        in.put(coordsName, Tensor.of(c, b, n, 3));
        in.put(labelsName, Tensor.of(l, b, n));
        if (zeroShotSpec.type() == ElementType.BOOL) {
            in.put(zeroShotSpec.name(), Tensor.of(zeroShot, b));
        } else {
            long[] z = new long[b];
            for (int i = 0; i < b; i++) {
                z[i] = zeroShot[i] ? 1 : 0;
            }
            in.put(zeroShotSpec.name(), Tensor.of(z, b));
        }
        Dims d = w.dims();
        return runHead(pointHead, pointLogitsName, in, new long[] {b, 1, d.n0(), d.n1(), d.n2()}, null);
    }

    private float[] runHead(Slot head, String outName, Map<String, Tensor> in, long[] shape, float[] reuse) {
        return onEngine(head, true, () -> runHeadOpen(head, outName, in, shape, reuse));
    }

    /**
     * Runs {@code call} on {@code slot}'s engine under the read lock (so {@link #close()} waits for it), and, for the
     * heads ({@code heads}), one at a time on their shared output buffers. When the engine itself fails (an
     * {@link EngineException} that is not a bad input), closes that engine and opens it again from the package before
     * passing the failure on, so that the caller's retry runs on a fresh session; the reopening waits for the other
     * engine calls to end.
     */
    private <T> T onEngine(Slot slot, boolean heads, java.util.function.Supplier<T> call) {
        try {
            life.readLock().lock();
            try {
                ensureOpen();
                if (!heads) {
                    return call.get();
                }
                synchronized (logitBuffers) {
                    return call.get();
                }
            } finally {
                life.readLock().unlock();
            }
        } catch (EngineInputException e) {
            throw e;
        } catch (EngineException e) {
            restart(slot, e);
            throw e;
        }
    }

    private void restart(Slot slot, EngineException cause) {
        life.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            try {
                slot.engine.close();
            } catch (RuntimeException ignored) {
                // the failed session may not close cleanly; the new one replaces it either way
            }
            synchronized (logitBuffers) {
                logitBuffers.remove(slot);
            }
            try {
                slot.engine = Engines.open(pkg.engineFile(slot.role), options);
                slot.restarts++;
            } catch (RuntimeException reopen) {
                cause.addSuppressed(reopen); // the next call fails again and tries again
            }
        } finally {
            life.writeLock().unlock();
        }
    }

    /** How many times an engine was closed and opened again after a failure (all roles). */
    public int engineRestarts() {
        return encoder.restarts + autoFeatures.restarts + classEmbedding.restarts + pointHead.restarts;
    }

    /** One engine role and its current session, replaced by {@link #restart} after a failure. */
    private static final class Slot {
        final String role;
        volatile InferenceEngine engine;
        volatile int restarts;

        Slot(String role, InferenceEngine engine) {
            this.role = role;
            this.engine = engine;
        }
    }

    private float[] runHeadOpen(Slot head, String outName, Map<String, Tensor> in, long[] shape,
                                float[] reuse) {
        long count = 1;
        for (long n : shape) {
            count *= n;
        }
        if (count > Integer.MAX_VALUE / 4) {
            throw new EngineInputException("output " + java.util.Arrays.toString(shape)
                    + " exceeds 2 GiB; pass fewer objects per call");
        }
        // one growing off-heap buffer per head: the runtime writes the logits there, then one copy to the caller
        ByteBuffer buf = logitBuffers.get(head);
        if (buf == null || buf.capacity() < count * 4) {
            logitBuffers.remove(head);
            buf = ByteBuffer.allocateDirect((int) count * 4).order(ByteOrder.nativeOrder());
            logitBuffers.put(head, buf);
        }
        Tensor logits = Tensor.wrap(ElementType.FLOAT32, buf.slice(0, (int) count * 4), shape);
        head.engine.run(in, Map.of(outName, logits));
        if (reuse != null && reuse.length == count) {
            logits.floats().get(reuse);
            return reuse;
        }
        return logits.toFloatArray();
    }

    private Map<String, Tensor> takeFeatures(Dims dims) {
        Map<String, Long> bind = bindings(dims);
        synchronized (featurePool) {
            for (var it = featurePool.iterator(); it.hasNext(); ) {
                Map<String, Tensor> f = it.next();
                if (fits(f, bind)) {
                    it.remove();
                    return f;
                }
            }
        }
        Map<String, Tensor> fresh = new LinkedHashMap<>();
        for (TensorSpec s : featureSpecs) {
            long[] shape = resolve(s, bind);
            if (shape == null) {
                return Map.of(); // a shape we cannot predict: let the runtime allocate the outputs
            }
            fresh.put(s.name(), Tensor.allocate(s.type(), shape));
        }
        return fresh;
    }

    private boolean fits(Map<String, Tensor> f, Map<String, Long> bind) {
        for (TensorSpec s : featureSpecs) {
            long[] shape = resolve(s, bind);
            Tensor t = f.get(s.name());
            if (shape == null || t == null || !java.util.Arrays.equals(shape, t.shape())) {
                return false;
            }
        }
        return true;
    }

    private Map<String, Long> bindings(Dims dims) {
        Map<String, Long> bind = new HashMap<>();
        List<Dim> d = pkg.manifest().engine(Manifest.ENCODER).inputs().get(0).dims();
        if (d.size() == 5) {
            for (int a = 0; a < 3; a++) {
                if (d.get(2 + a).isSymbolic()) {
                    bind.put(d.get(2 + a).symbol(), (long) dims.get(a));
                }
            }
        }
        return bind;
    }

    /** Resolves manifest dims, including the "X/2" spelling of strided levels; null when not predictable. */
    private static long[] resolve(TensorSpec s, Map<String, Long> bind) {
        long[] out = new long[s.rank()];
        for (int i = 0; i < out.length; i++) {
            Dim d = s.dims().get(i);
            if (!d.isSymbolic()) {
                out[i] = d.size();
                continue;
            }
            String sym = d.symbol();
            long div = 1;
            int slash = sym.indexOf('/');
            if (slash > 0) {
                try {
                    div = Long.parseLong(sym.substring(slash + 1).trim());
                } catch (NumberFormatException e) {
                    return null;
                }
                sym = sym.substring(0, slash).trim();
            }
            Long v = bind.get(sym);
            if (v == null || div <= 0 || v % div != 0) {
                return null;
            }
            out[i] = v / div;
        }
        return out;
    }

    void recycle(Map<String, Tensor> features) {
        synchronized (featurePool) {
            if (!closed && featurePool.size() < POOLED_WINDOWS && features.values().stream().allMatch(Tensor::isDirect)) {
                featurePool.addFirst(features);
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("network is closed");
        }
    }

    @Override
    public void close() {
        life.writeLock().lock();
        try {
            closeOpen();
        } finally {
            life.writeLock().unlock();
        }
    }

    private void closeOpen() {
        if (!closed) {
            closed = true;
            synchronized (featurePool) {
                featurePool.clear();
            }
            logitBuffers.clear();
            encoder.engine.close();
            autoFeatures.engine.close();
            classEmbedding.engine.close();
            pointHead.engine.close();
        }
    }
}
