package com.edgeseg.pkg;

import com.edgeseg.EdgeSegException;

/** A package file is missing, unlisted, or its sha256 differs from the manifest; {@link #file()} names it. */
public final class PackageIntegrityException extends EdgeSegException {
    private final String file;

    public PackageIntegrityException(String file, String message) {
        super(message);
        this.file = file;
    }

    /** The file name relative to the package folder. */
    public String file() {
        return file;
    }
}
