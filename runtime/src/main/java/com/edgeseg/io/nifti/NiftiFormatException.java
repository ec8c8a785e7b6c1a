package com.edgeseg.io.nifti;

import com.edgeseg.EdgeSegException;

/**
 * A file that EdgeSeg cannot read as a single 3-D NIfTI volume: not NIfTI at all, truncated (also a cut
 * gzip stream), more than one volume, an unsupported data type, or an inconsistent header. The message
 * says what was found and what was expected.
 */
public final class NiftiFormatException extends EdgeSegException {
    public NiftiFormatException(String message) {
        super(message);
    }

    public NiftiFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
