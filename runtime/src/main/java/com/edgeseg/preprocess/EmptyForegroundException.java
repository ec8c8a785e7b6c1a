package com.edgeseg.preprocess;

import com.edgeseg.EdgeSegException;

/**
 * No voxel of the resampled image exceeds the foreground threshold (0 HU by default), so the foreground
 * crop is empty. The reference silently crops to 0 x 0 x 0 and returns an all-background mask (§8 Q17);
 * EdgeSeg stops instead, because such an image is almost always not a CT in Hounsfield units (missing
 * rescale, wrong file, all air).
 */
public final class EmptyForegroundException extends EdgeSegException {
    public EmptyForegroundException(String message) {
        super(message);
    }
}
