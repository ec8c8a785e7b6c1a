package com.edgeseg.network;

import com.edgeseg.window.Window;
import com.edgeseg.window.WindowKey;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Encoder outputs of one network-space image's windows, kept for reuse: a click in a window already encoded runs the
 * point head only. Least recently used windows go first once the features exceed the byte budget. Bound to one image
 * (a study's volume): keys are window positions, so a cache must never serve another image.
 *
 * <p>The cache owns what it returns: a caller must not close it, and may use it only until its next {@link #get} or
 * {@link #close()}. Thread-safe.
 */
public final class EncoderCache implements AutoCloseable {
    private final long budgetBytes;
    private final Map<WindowKey, EncodedWindow> windows = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private int hits;
    private int misses;
    private boolean closed;

    /** @param budgetBytes features kept at most (one window more is held while it is in use) */
    public EncoderCache(long budgetBytes) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("cache budget must be >= 0 bytes, got " + budgetBytes);
        }
        this.budgetBytes = budgetBytes;
    }

    /** The encoder output of {@code window}: the cached one, else {@code encode}'s, which the cache then keeps. */
    public synchronized EncodedWindow get(Window window, Supplier<EncodedWindow> encode) {
        if (closed) {
            throw new IllegalStateException("encoder cache is closed");
        }
        EncodedWindow e = windows.get(window.key());
        if (e != null) {
            hits++;
            return e;
        }
        misses++;
        e = encode.get();
        if (!e.key().equals(window.key())) {
            e.close();
            throw new IllegalStateException("encoder output of " + e.key() + " offered for window " + window.key());
        }
        windows.put(window.key(), e);
        bytes += e.featureBytes();
        // evict the least recently used, never the one just encoded
        for (Iterator<Map.Entry<WindowKey, EncodedWindow>> it = windows.entrySet().iterator();
             bytes > budgetBytes && it.hasNext(); ) {
            Map.Entry<WindowKey, EncodedWindow> old = it.next();
            if (old.getValue() != e) {
                bytes -= old.getValue().featureBytes();
                old.getValue().close();
                it.remove();
            }
        }
        return e;
    }

    /** Encoder runs saved so far. */
    public synchronized int hits() {
        return hits;
    }

    /** Encoder runs done so far. */
    public synchronized int misses() {
        return misses;
    }

    /** Bytes of encoder features held now. */
    public synchronized long bytes() {
        return bytes;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            windows.values().forEach(EncodedWindow::close);
            windows.clear();
            bytes = 0;
        }
    }
}
