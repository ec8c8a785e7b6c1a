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
 * The three engines of a VISTA3D package used together: the encoder once per window, then the class head
 * (automatic segmentation) and the point head (clicks) on its features. Tensor names come from the package
 * manifest; the heads' extra inputs are recognised by type and rank (class ids int64 [B]; point coordinates
 * float32 [B,N,3], labels int64 [B,N], zero-shot flag [B]).
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
    private final InferenceEngine encoder;
    private final InferenceEngine autoHead;
    private final InferenceEngine pointHead;
    private final String imageName;
    private final List<TensorSpec> featureSpecs;
    private final String classIdsName;
    private final String coordsName;
    private final String labelsName;
    private final TensorSpec zeroShotSpec;
    private final String autoLogitsName;
    private final String pointLogitsName;
    private final Deque<Map<String, Tensor>> featurePool = new ArrayDeque<>();
    private final Map<InferenceEngine, ByteBuffer> logitBuffers = new java.util.IdentityHashMap<>();
    private volatile boolean closed;
    /** Engine calls hold the read lock, {@link #close()} the write lock: closing waits for running calls. */
    private final java.util.concurrent.locks.ReentrantReadWriteLock life = new java.util.concurrent.locks.ReentrantReadWriteLock();

    private Vista3dNetwork(ModelPackage pkg, InferenceEngine encoder, InferenceEngine autoHead, InferenceEngine pointHead) {
        this.pkg = pkg;
        this.encoder = encoder;
        this.autoHead = autoHead;
        this.pointHead = pointHead;
        Manifest m = pkg.manifest();
        EngineSpec enc = m.engine(Manifest.ENCODER);
        EngineSpec auto = m.engine(Manifest.AUTO_HEAD);
        EngineSpec point = m.engine(Manifest.POINT_HEAD);
        if (enc.inputs().size() != 1) {
            throw bad("encoder must have one input (the image), manifest lists " + enc.inputs().size());
        }
        imageName = enc.inputs().get(0).name();
        featureSpecs = enc.outputs();
        List<String> featureNames = featureSpecs.stream().map(TensorSpec::name).toList();
        classIdsName = extra(auto, featureNames, ElementType.INT64, 1, "class ids int64 [B]").name();
        coordsName = extra(point, featureNames, ElementType.FLOAT32, 3, "point coordinates float32 [B,N,3]").name();
        labelsName = extra(point, featureNames, ElementType.INT64, 2, "point labels int64 [B,N]").name();
        zeroShotSpec = extra(point, featureNames, null, 1, "zero-shot flags [B]");
        autoLogitsName = single(auto).name();
        pointLogitsName = single(point).name();
        for (TensorSpec s : encoder.inputs()) {
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
            return new Vista3dNetwork(pkg, opened.get(0), opened.get(1), opened.get(2));
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
        for (String f : features) {
            if (head.inputs().stream().noneMatch(s -> s.name().equals(f))) {
                throw bad(head.role() + " does not take encoder output '" + f + "'");
            }
        }
        return found.get(0);
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
        return encoder.providerName();
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
        life.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("network is closed");
            }
            return encodeOpen(window, where);
        } finally {
            life.readLock().unlock();
        }
    }

    private EncodedWindow encodeOpen(float[] window, Window where) {
        ensureOpen();
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
        Map<String, Tensor> out = encoder.run(Map.of(imageName, image), pinned);
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

    /**
     * Class-head logits for each id of {@code classIds} (global class ids, trained 1..132).
     *
     * @return [B, X, Y, Z] flattened, B = classIds.length
     */
    public float[] autoLogits(EncodedWindow w, long[] classIds) {
        return autoLogits(w, classIds, null);
    }

    /**
     * {@link #autoLogits(EncodedWindow, long[])} into {@code reuse} when it has exactly the logits' length (a
     * caller that runs many windows keeps one buffer instead of a window of logits per call), else a new array.
     */
    public float[] autoLogits(EncodedWindow w, long[] classIds, float[] reuse) {
        ensureOpen();
        if (classIds.length == 0) {
            throw new EngineInputException("no class ids");
        }
        Map<String, Tensor> in = new HashMap<>(w.features());
        in.put(classIdsName, Tensor.of(classIds, classIds.length));
        return runHead(autoHead, autoLogitsName, in, classIds.length, w.dims(), reuse);
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
        return runHead(pointHead, pointLogitsName, in, b, w.dims(), null);
    }

    private float[] runHead(InferenceEngine head, String outName, Map<String, Tensor> in, int b, Dims dims,
                            float[] reuse) {
        life.readLock().lock();
        try {
            synchronized (logitBuffers) {
                return runHeadOpen(head, outName, in, b, dims, reuse);
            }
        } finally {
            life.readLock().unlock();
        }
    }

    private float[] runHeadOpen(InferenceEngine head, String outName, Map<String, Tensor> in, int b, Dims dims,
                                float[] reuse) {
        long count = (long) b * dims.voxelCount();
        if (count > Integer.MAX_VALUE / 4) {
            throw new EngineInputException(b + " objects of " + dims + " exceed 2 GiB of logits; pass fewer per call");
        }
        // one growing off-heap buffer per head: the runtime writes the logits there, then one copy to the caller
        ByteBuffer buf = logitBuffers.get(head);
        if (buf == null || buf.capacity() < count * 4) {
            logitBuffers.remove(head);
            buf = ByteBuffer.allocateDirect((int) count * 4).order(ByteOrder.nativeOrder());
            logitBuffers.put(head, buf);
        }
        if (closed) {
            throw new IllegalStateException("network is closed");
        }
        Tensor logits = Tensor.wrap(ElementType.FLOAT32, buf.slice(0, (int) count * 4), b, 1, dims.n0(), dims.n1(), dims.n2());
        head.run(in, Map.of(outName, logits));
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
            encoder.close();
            autoHead.close();
            pointHead.close();
        }
    }
}
