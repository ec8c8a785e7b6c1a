package com.edgeseg.export;

import com.edgeseg.EdgeSegException;

/** Exporting weights to a model package failed (exporter missing, bad weights, exporter error). */
public final class PackageExportException extends EdgeSegException {
    public PackageExportException(String message) {
        super(message);
    }

    public PackageExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
