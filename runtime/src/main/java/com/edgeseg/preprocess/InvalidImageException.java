package com.edgeseg.preprocess;

import com.edgeseg.EdgeSegException;

/**
 * An image the pipeline refuses to preprocess: non-finite voxels (NaN or infinity), a singular affine, or a
 * sheared (non-orthogonal) direction matrix. Shear is refused rather than silently dropped the way the
 * reference's resampling would (§3.1 step 4 decomposes it away).
 */
public final class InvalidImageException extends EdgeSegException {
    public InvalidImageException(String message) {
        super(message);
    }
}
