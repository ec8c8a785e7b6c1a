package com.edgeseg.network;

import com.edgeseg.engine.Tensor;

import com.edgeseg.geometry.Dims;
import com.edgeseg.window.Window;
import com.edgeseg.window.WindowKey;
import java.util.Map;

/**
 * The encoder's features of one window, ready for any number of {@link Vista3dNetwork#autoLogits} and
 * {@link Vista3dNetwork#pointLogits} calls (e.g. a cache of windows for interactive clicks). Holds tens to
 * hundreds of MB of off-heap memory: close it when done, which hands the buffers back to the network for
 * the next window. It knows which window of the image it encodes ({@link #key()}), so a per-study cache can find it
 * again for a later click in the same window.
 */
public final class EncodedWindow implements AutoCloseable {
    private final Window window;
    private Map<String, Tensor> features;
    private final Vista3dNetwork owner;

    EncodedWindow(Window window, Map<String, Tensor> features, Vista3dNetwork owner) {
        this.window = window;
        this.features = features;
        this.owner = owner;
    }

    /** The window's size (the image given to {@link Vista3dNetwork#encode}). */
    public Dims dims() {
        return window.size();
    }

    /** The window whose voxels were encoded (image coordinates, its index in the plan that listed it). */
    public Window window() {
        return window;
    }

    /** Where the window lies on the image grid: the key a cache of encoder outputs uses. */
    public WindowKey key() {
        return window.key();
    }

    /** Bytes of feature memory held. */
    public long featureBytes() {
        return features().values().stream().mapToLong(t -> (long) t.elementCount() * t.type().byteSize()).sum();
    }

    Map<String, Tensor> features() {
        if (features == null) {
            throw new IllegalStateException("encoded window is closed");
        }
        return features;
    }

    @Override
    public void close() {
        if (features != null) {
            owner.recycle(features);
            features = null;
        }
    }
}
