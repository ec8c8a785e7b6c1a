package com.edgeseg.segment;

import com.edgeseg.network.EncoderCache;
import com.edgeseg.preprocess.PreprocessedImage;
import com.edgeseg.volume.Volume;

/**
 * Click edits of one volume at interactive speed: the volume is preprocessed on the first click only, and the
 * encoder outputs of the click windows are kept within a byte budget, so a click in a window already encoded (click
 * windows of the product profile snap to a quarter-window grid, so clicks near each other share one) runs the point
 * head only. Every result equals {@link Segmenter#segment} on the same volume and request: the session changes how
 * long a click takes, never its mask, so a ledger replays without it.
 *
 * <p>Calls take turns (one edit at a time); {@link #close()} frees the cached features.
 */
public final class ClickSession implements AutoCloseable {
    private final Segmenter segmenter;
    private final Volume ct;
    private final EncoderCache cache;
    private PreprocessedImage pre;

    ClickSession(Segmenter segmenter, Volume ct, long cacheBytes) {
        this.segmenter = segmenter;
        this.ct = ct;
        this.cache = new EncoderCache(cacheBytes);
    }

    /** The volume every edit of this session applies to. */
    public Volume volume() {
        return ct;
    }

    /**
     * Runs one request on the session's volume, as {@link Segmenter#segment} would.
     *
     * @throws IllegalArgumentException for a request without clicks (automatic runs do not use the session)
     */
    public synchronized SegmentationResult segment(SegmentationRequest request, ProgressListener progress) {
        if (request.clicks().isEmpty()) {
            throw new IllegalArgumentException("a click session runs click edits; this request has no clicks");
        }
        if (pre == null) {
            pre = segmenter.preprocess(ct);
        }
        return segmenter.segment(ct, request, progress, new Segmenter.Prepared(pre, cache));
    }

    /** Encoder runs this session saved, and ran. */
    public int cacheHits() {
        return cache.hits();
    }

    public int cacheMisses() {
        return cache.misses();
    }

    @Override
    public synchronized void close() {
        cache.close();
        pre = null;
    }
}
